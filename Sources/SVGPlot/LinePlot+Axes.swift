import Foundation

extension LinePlot {
    /// How values map to positions along an axis.
    public enum AxisScale: Sendable, Equatable {
        /// Position proportional to the value.
        case linear
        /// Position proportional to the base-10 logarithm of the value; zero and negative
        /// values cannot be shown and are dropped.
        case log10

        /// Whether the axis can show `value`: it is finite and, on a log10 axis, positive.
        func canShow(_ value: Double) -> Bool {
            switch self {
            case .linear: value.isFinite
            case .log10: value.isFinite && value > 0
            }
        }

        /// The value in axis units, in which positions are linear: the value itself, or its
        /// base-10 logarithm.
        func axisUnits(_ value: Double) -> Double {
            self == .linear ? value : LinePlot.decimalLogarithm(value)
        }
    }

    /// One tick mark on an axis.
    public struct Tick: Sendable, Equatable {
        /// The value at the tick.
        public var value: Double
        /// The text written at the tick, or `nil` for an unlabelled minor tick.
        public var label: String?
        /// Whether the tick is major (longer mark, with a grid line).
        public var isMajor: Bool

        /// Creates a tick.
        init(value: Double, label: String?, isMajor: Bool) {
            self.value = value
            self.label = label
            self.isMajor = isMajor
        }
    }

    /// A resolved axis: its scale, the range it spans and its ticks.
    ///
    /// Linear ticks are "nice" numbers: multiples of 1, 2 or 5 times a power of ten. Log10
    /// ticks are decades (every decade, or every 2nd, 3rd, 5th, 10th… if there are too many),
    /// with minor ticks at 2 and 5 times each decade when every decade is labelled; those minor
    /// ticks are labelled too when there is room for three labels per decade. An automatic
    /// linear range is widened to the enclosing tick values; an automatic log10 range gets a
    /// margin of 4 % of its span in decades and is widened to 1, 2 or 5 × 10ᵏ.
    public struct Axis: Sendable, Equatable {
        /// How values map to positions.
        public let scale: AxisScale
        /// The value range from the start of the axis (left, bottom) to its end.
        public let range: ClosedRange<Double>
        /// Tick marks in increasing order of value.
        public let ticks: [Tick]

        /// Resolves an axis.
        /// - Parameters:
        ///   - scale: linear or log10.
        ///   - fixedRange: the range to use, or `nil` to fit `dataBounds`; a range the scale
        ///     cannot use (empty, non-finite, not positive on log10) counts as `nil`.
        ///   - dataBounds: the smallest and largest value to show, or `nil` if there are none
        ///     (the range is then [0, 1], or [1, 10] on log10).
        ///   - maxMajorTicks: the most labelled ticks wanted (at least 2 are used).
        public init(scale: AxisScale, fixedRange: ClosedRange<Double>?, dataBounds: ClosedRange<Double>?,
                    maxMajorTicks: Int) {
            let maxMajor = max(2, maxMajorTicks)
            self.scale = scale
            if let fixed = fixedRange, Axis.isUsable(fixed, scale: scale) {
                range = fixed
            } else if scale == .linear {
                range = Axis.automaticLinearRange(dataBounds ?? 0...1, maxMajor: maxMajor)
            } else {
                range = dataBounds.map(Axis.automaticLogRange) ?? 1...10
            }
            ticks = scale == .linear
                ? Axis.linearTicks(in: range, maxMajor: maxMajor)
                : Axis.logTicks(in: range, maxMajor: maxMajor)
        }

        /// Where `value` lies along the axis: 0 at the start of the range, 1 at its end, and
        /// outside [0, 1] beyond the range; `nil` if the scale cannot show the value.
        func fraction(of value: Double) -> Double? {
            guard scale.canShow(value) else { return nil }
            let start = scale.axisUnits(range.lowerBound)
            let end = scale.axisUnits(range.upperBound)
            return (scale.axisUnits(value) - start) / (end - start)
        }
    }
}

// MARK: - Ranges

extension LinePlot.Axis {
    /// Largest magnitude kept for linear bounds, so that the span of a range stays finite.
    static let largestLinearMagnitude = 1e300

    /// Whether `range` can be drawn on `scale`: finite, positive on log10, and wide enough
    /// that its ends differ in axis units.
    static func isUsable(_ range: ClosedRange<Double>, scale: LinePlot.AxisScale) -> Bool {
        let low = range.lowerBound, high = range.upperBound
        guard scale.canShow(low), scale.canShow(high),
              abs(low) <= largestLinearMagnitude, abs(high) <= largestLinearMagnitude else { return false }
        switch scale {
        case .linear:
            return high - low > max(1e-12 * max(abs(low), abs(high)), 1e-200)
        case .log10:
            return LinePlot.decimalLogarithm(high) - LinePlot.decimalLogarithm(low) > 1e-9
        }
    }

    /// A range enclosing `bounds` whose ends are multiples of the tick step.
    static func automaticLinearRange(_ bounds: ClosedRange<Double>, maxMajor: Int) -> ClosedRange<Double> {
        var low = min(max(bounds.lowerBound, -largestLinearMagnitude), largestLinearMagnitude)
        var high = min(max(bounds.upperBound, -largestLinearMagnitude), largestLinearMagnitude)
        if !isUsable(low...high, scale: .linear) {
            // All values (nearly) equal: widen by 10 % of the value, or to ±1 around zero.
            let middle = (low + high) / 2
            let halfWidth = middle == 0 ? 1 : max(abs(middle) * 0.1, 1e-200)
            low = middle - halfWidth
            high = middle + halfWidth
        }
        var step = niceStep(covering: high - low, intervals: maxMajor - 1)
        for _ in 0..<8 {
            let start = (low / step).rounded(.down) * step
            let end = (high / step).rounded(.up) * step
            if (end - start) / step <= Double(maxMajor - 1) + 1e-9 { return start...end }
            step = niceStep(covering: step * 1.5, intervals: 1)
        }
        return low...high
    }

    /// A log10 range enclosing `bounds` with a margin of 4 % of their span (in decades) on
    /// each side, its ends rounded outward to 1, 2 or 5 × 10ᵏ, so that no point lies on the
    /// frame. Equal bounds get half a decade on each side before rounding.
    static func automaticLogRange(_ bounds: ClosedRange<Double>) -> ClosedRange<Double> {
        let low = LinePlot.decimalLogarithm(bounds.lowerBound), high = LinePlot.decimalLogarithm(bounds.upperBound)
        let margin = high - low < 1e-9 ? 0.5 : 0.04 * (high - low)
        let start = roundedToOneTwoFive(min(max(low - margin, -306), 305), upward: false)
        var end = roundedToOneTwoFive(min(max(high + margin, -305), 306), upward: true)
        if end <= start { end = start * 10 }
        return start...end
    }

    /// The value 10^`exponent` rounded down (or up) to the nearest 1, 2 or 5 × 10ᵏ.
    static func roundedToOneTwoFive(_ exponent: Double, upward: Bool) -> Double {
        let decade = Int(exponent.rounded(.down))
        let mantissa = pow(10, exponent - Double(decade))  // in [1, 10)
        let choice: Int
        if upward {
            choice = [1, 2, 5, 10].first { Double($0) >= mantissa * (1 - 1e-9) } ?? 10
        } else {
            choice = [5, 2, 1].first { Double($0) <= mantissa * (1 + 1e-9) } ?? 1
        }
        return Double("\(choice)e\(decade)") ?? Double(choice) * LinePlot.powerOfTen(decade)
    }

    /// The smallest step of the form {1, 2, 5} × 10^k that divides `span` into at most
    /// `intervals` parts.
    static func niceStep(covering span: Double, intervals: Int) -> Double {
        let raw = span / Double(max(1, intervals))
        let magnitude = LinePlot.powerOfTen(Int(LinePlot.decimalLogarithm(raw).rounded(.down)))
        for multiple in [1.0, 2, 5, 10] where multiple * magnitude >= raw * (1 - 1e-9) {
            return multiple * magnitude
        }
        return 10 * magnitude
    }
}

// MARK: - Ticks

extension LinePlot.Axis {
    /// Ticks at multiples of a nice step inside `range`, all labelled.
    static func linearTicks(in range: ClosedRange<Double>, maxMajor: Int) -> [LinePlot.Tick] {
        let step = niceStep(covering: range.upperBound - range.lowerBound, intervals: maxMajor - 1)
        let format = LinePlot.LinearLabelFormat(step: step, largestMagnitude: max(abs(range.lowerBound), abs(range.upperBound)))
        var ticks: [LinePlot.Tick] = []
        // Multiples are counted in Double, not Int, so that huge ranges cannot trap on conversion.
        var multiple = (range.lowerBound / step - 1e-9).rounded(.up)
        let lastMultiple = (range.upperBound / step + 1e-9).rounded(.down)
        while multiple <= lastMultiple && ticks.count <= 2 * maxMajor {
            var value = multiple * step
            if abs(value) < step * 1e-9 { value = 0 }
            ticks.append(LinePlot.Tick(value: value, label: format.label(value), isMajor: true))
            multiple += 1
        }
        return ticks
    }

    /// Decade ticks inside `range` with 2 and 5 minor ticks; falls back to linear ticks when
    /// fewer than two values could be labelled (a range inside one decade).
    static func logTicks(in range: ClosedRange<Double>, maxMajor: Int) -> [LinePlot.Tick] {
        let low = LinePlot.decimalLogarithm(range.lowerBound), high = LinePlot.decimalLogarithm(range.upperBound)
        let firstExponent = Int((low - 1e-9).rounded(.up)), lastExponent = Int((high + 1e-9).rounded(.down))
        let contains = { (value: Double) in
            let exponent = LinePlot.decimalLogarithm(value)
            return exponent >= low - 1e-9 && exponent <= high + 1e-9
        }
        let decadeStep = [1, 2, 3, 5, 10, 20, 50, 100].first { step in
            let multiples = (firstExponent...max(firstExponent, lastExponent)).filter { $0 % step == 0 }.count
            return multiples <= maxMajor
        } ?? 100
        let labelsMinor = decadeStep == 1 && (high - low) * 3 <= Double(maxMajor)
        // Plain decimals (0.02, 500) where they stay short, else m×10ᵏ; labelled minor ticks
        // read more easily in plain decimals, so they widen the plain range.
        let plainLimits = labelsMinor ? (-4.0, 5.0) : (-2.0, 3.0)
        let usesPlainNumbers = low >= plainLimits.0 - 1e-9 && high <= plainLimits.1 + 1e-9

        var ticks: [LinePlot.Tick] = []
        for exponent in Int(low.rounded(.down))...Int(high.rounded(.down)) {
            let decade = LinePlot.powerOfTen(exponent)
            if exponent >= firstExponent && exponent <= lastExponent {
                let isMajor = exponent % decadeStep == 0
                let label = isMajor ? logLabel(mantissa: 1, exponent: exponent, plain: usesPlainNumbers) : nil
                ticks.append(LinePlot.Tick(value: decade, label: label, isMajor: isMajor))
            }
            guard decadeStep == 1 else { continue }
            for mantissa in [2, 5] {
                let value = Double("\(mantissa)e\(exponent)") ?? Double(mantissa) * decade
                guard contains(value) else { continue }
                let label = labelsMinor ? logLabel(mantissa: mantissa, exponent: exponent, plain: usesPlainNumbers) : nil
                ticks.append(LinePlot.Tick(value: value, label: label, isMajor: false))
            }
        }
        if ticks.filter({ $0.label != nil }).count < 2 {
            return linearTicks(in: range, maxMajor: maxMajor)
        }
        return ticks
    }

    /// The label of mantissa × 10^exponent: plain decimals (`0.05`, `200`) or `5×10⁻³`.
    static func logLabel(mantissa: Int, exponent: Int, plain: Bool) -> String {
        if plain {
            if exponent >= 0 { return String(mantissa) + String(repeating: "0", count: exponent) }
            return String(format: "%.\(-exponent)f", Double(mantissa) * LinePlot.powerOfTen(exponent))
        }
        let power = "10" + superscript(exponent)
        return mantissa == 1 ? power : "\(mantissa)×" + power
    }

    /// `exponent` written in Unicode superscript digits, with a superscript minus.
    static func superscript(_ exponent: Int) -> String {
        let digits: [Character: Character] = [
            "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴",
            "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻",
        ]
        return String(String(exponent).map { digits[$0] ?? $0 })
    }
}

extension LinePlot {
    /// Labels for the ticks of one linear axis: fixed decimals fitted to the step, or
    /// `m×10ᵏ` when values are very large (≥ 10⁶) or the step very small (< 10⁻⁴).
    struct LinearLabelFormat {
        let step: Double
        let stepExponent: Int
        let scientific: Bool

        init(step: Double, largestMagnitude: Double) {
            self.step = step
            stepExponent = Int((LinePlot.decimalLogarithm(step) + 1e-9).rounded(.down))
            scientific = largestMagnitude >= 1e6 || step < 1e-4
        }

        /// The label of `value`; zero is written with the same decimals as its neighbours
        /// (`0.0` beside `0.5`), or as `0` in scientific notation.
        func label(_ value: Double) -> String {
            if value == 0 && scientific { return "0" }
            let value = value == 0 ? 0 : value  // no "-0.0"
            let text: String
            if scientific {
                let exponent = Int((LinePlot.decimalLogarithm(abs(value)) + 1e-9).rounded(.down))
                let decimals = min(max(0, exponent - stepExponent), 15)
                var mantissa = String(format: "%.\(decimals)f", value / LinePlot.powerOfTen(exponent))
                if mantissa.contains(".") {
                    while mantissa.hasSuffix("0") { mantissa.removeLast() }
                    if mantissa.hasSuffix(".") { mantissa.removeLast() }
                }
                text = mantissa + "×10" + Axis.superscript(exponent)
            } else {
                text = String(format: "%.\(min(max(0, -stepExponent), 15))f", value)
            }
            // A typographic minus sign, as in printed figures.
            return text.replacingOccurrences(of: "-", with: "\u{2212}")
        }
    }

    /// Base-10 logarithm (inside `AxisScale` the bare name `log10` means the enum case).
    static func decimalLogarithm(_ value: Double) -> Double { log10(value) }

    /// 10^exponent, correctly rounded (parsed from decimal text rather than computed with `pow`).
    static func powerOfTen(_ exponent: Int) -> Double { Double("1e\(exponent)") ?? pow(10, Double(exponent)) }
}
