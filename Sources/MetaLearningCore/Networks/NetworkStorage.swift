/// The weights of a network, in the canonical order its type documents, in memory the storage
/// owns (allocated once, zero-initialised, freed with the storage).
///
/// Networks read and write their weights in place through the storage's kernel pointer in
/// their hot loops; everything outside the kernels speaks in arrays: ``values`` copies the
/// weights out and ``assign(_:)`` copies them in.
public final class WeightStorage {
    /// Number of weights, biases included.
    public let count: Int
    /// The first weight. Valid for the storage's lifetime; the kernels' view of the weights.
    @usableFromInline package let base: UnsafeMutablePointer<Double>

    /// Allocates `count` weights, all zero.
    /// - Precondition: `count` ≥ 0 (the configuration's validation bounds it from above).
    package init(count: Int) {
        precondition(count >= 0, "a weight count cannot be negative")
        self.count = count
        base = .allocate(capacity: max(count, 1))
        base.initialize(repeating: 0, count: max(count, 1))
    }

    deinit { base.deallocate() }

    /// A copy of the weights.
    public var values: [Double] {
        Array(buffer)
    }

    /// Weight `index` (0..<``count``).
    public subscript(index: Int) -> Double {
        get {
            precondition((0..<count).contains(index), "weight index \(index) outside 0..<\(count)")
            return base[index]
        }
        set {
            precondition((0..<count).contains(index), "weight index \(index) outside 0..<\(count)")
            base[index] = newValue
        }
    }

    /// Replaces every weight.
    /// - Precondition: `values.count == count`.
    public func assign(_ values: [Double]) {
        precondition(values.count == count, "expected \(count) weights, got \(values.count)")
        values.withUnsafeBufferPointer { base.update(from: $0.baseAddress!, count: count) }
    }

    /// Whether every weight is finite.
    public var allFinite: Bool {
        buffer.allSatisfy(\.isFinite)
    }

    /// The weights as a mutable buffer, for the kernels and optimisers of this package.
    package var buffer: UnsafeMutableBufferPointer<Double> { UnsafeMutableBufferPointer(start: base, count: count) }
}

/// The activations, traces and scratch vectors of one network: every buffer a network needs
/// besides its weights, allocated zeroed through ``zeroed(_:)`` and freed together when the
/// arena goes (so no network writes its own `deinit`).
///
/// The buffers are raw pointers on purpose: the per-step kernels read and write them without
/// bounds checks or reference counting (docs/performance.md). They never leave the network
/// that owns the arena.
@usableFromInline
package final class ScratchArena {
    private var owned: [UnsafeMutablePointer<Double>] = []

    /// Creates an empty arena.
    package init() {}

    deinit { for pointer in owned { pointer.deallocate() } }

    /// A new buffer of `count` zeros (at least one element), owned by the arena.
    package func zeroed(_ count: Int) -> UnsafeMutablePointer<Double> {
        let pointer = UnsafeMutablePointer<Double>.allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
        owned.append(pointer)
        return pointer
    }

    /// Frees `old` (a buffer of this arena) and returns a new zeroed buffer of `count`
    /// elements; with `keeping` > 0 the first `keeping` elements of `old` are copied over.
    package func replace(_ old: UnsafeMutablePointer<Double>, withZeroed count: Int, keeping: Int = 0) -> UnsafeMutablePointer<Double> {
        let fresh = zeroed(count)
        if keeping > 0 { fresh.update(from: old, count: keeping) }
        if let index = owned.firstIndex(of: old) {
            owned.remove(at: index)
            old.deallocate()
        }
        return fresh
    }
}
