import Foundation
import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An SVG document (shared by the SVG writer's, the run plots' and the comparisons' tests) parsed
/// with Foundation's `XMLParser`; parsing fails on malformed XML.
package struct SVGDocument {
    /// An element with its attributes, its own text and its child elements.
    package final class Element {
        /// The tag name, e.g. `path`.
        package let name: String
        /// The attributes by name.
        package let attributes: [String: String]
        /// The text directly inside the element.
        package var text = ""
        /// The child elements in document order.
        package var children: [Element] = []

        init(name: String, attributes: [String: String]) {
            self.name = name
            self.attributes = attributes
        }

        /// The attribute as a number.
        package func number(_ attribute: String) throws -> Double {
            try XCTUnwrap(attributes[attribute].flatMap(Double.init), "attribute \(attribute) of <\(name)>")
        }
    }

    /// The text is not well-formed XML, or path data is not as expected.
    package struct ParseError: Error, CustomStringConvertible {
        /// What went wrong.
        package var description: String
    }

    /// Every element in document order.
    package let elements: [Element]

    /// Parses `text`.
    /// - Throws: `ParseError` if it is not well-formed XML.
    package init(_ text: String) throws {
        let parser = XMLParser(data: Data(text.utf8))
        let collector = Collector()
        parser.delegate = collector
        guard parser.parse() else {
            throw ParseError(description: "malformed SVG: \(parser.parserError.map(String.init(describing:)) ?? "unknown")")
        }
        elements = collector.elements
    }

    /// Elements whose `class` attribute is `name`.
    package func elements(ofClass name: String) -> [Element] {
        elements.filter { $0.attributes["class"] == name }
    }

    /// The number of points in a path made of `M`/`L` commands with absolute coordinate
    /// pairs (a lone point is written `Mx yh0`).
    package static func pointCount(ofPath path: String) throws -> Int {
        let numbers = path.replacingOccurrences(of: "h0", with: " ")
            .split(whereSeparator: { $0 == "M" || $0 == "L" || $0 == " " })
        guard numbers.allSatisfy({ Double($0) != nil }), numbers.count % 2 == 0 else {
            throw ParseError(description: "unexpected path data \(path.prefix(80))")
        }
        return numbers.count / 2
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var elements: [Element] = []
        private var open: [Element] = []

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            let element = Element(name: elementName, attributes: attributes)
            open.last?.children.append(element)
            open.append(element)
            elements.append(element)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?) {
            open.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            open.last?.text += string
        }
    }
}
