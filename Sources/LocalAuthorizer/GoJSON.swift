import AuthorizerClient
import Foundation

/// JSON exactly as Go's `encoding/json` writes it: keys sorted, no spaces, `/` unescaped, and
/// `<`, `>`, `&`, U+2028 and U+2029 escaped as `\u003c` and so on.
enum GoJSON {
    static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var text = String(decoding: try encoder.encode(value), as: UTF8.self)
        // These characters can only occur inside JSON strings, so replacing them is safe.
        for (character, escape) in [
            ("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u{2028}", "\\u2028"), ("\u{2029}", "\\u2029"),
        ] {
            text = text.replacingOccurrences(of: character, with: escape)
        }
        return Data(text.utf8)
    }
}

extension GoJSON {
    /// A JSON object's members as Go's `encoding/json` reads them into a map: where a name occurs
    /// twice at the top level, the last one wins (Foundation's decoder keeps another); objects
    /// nested in a value are read by Foundation. Nil when `data` is not an object.
    static func decodeObject(_ data: Data) -> [String: JSONValue]? {
        guard var members = try? JSONDecoder().decode([String: JSONValue].self, from: data) else { return nil }
        guard JSONMembers.hasDuplicateNames(data) == true else { return members }
        let bytes = [UInt8](data)
        var depth = 0
        var index = 0
        var name: String?
        var valueStart: Int?
        func take(until end: Int) {
            guard let key = name, let start = valueStart,
                let value = try? JSONDecoder().decode(
                    [JSONValue].self, from: Data([UInt8(ascii: "[")] + bytes[start..<end] + [UInt8(ascii: "]")]))
            else { return }
            members[key] = value.first
            name = nil
            valueStart = nil
        }
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                let start = index
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                if depth == 1, valueStart == nil, index < bytes.count {
                    name = try? JSONDecoder().decode(String.self, from: Data(bytes[start...index]))
                }
            case UInt8(ascii: ":") where depth == 1 && valueStart == nil: valueStart = index + 1
            case UInt8(ascii: ",") where depth == 1: take(until: index)
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 1 { take(until: index) }
                depth -= 1
            default: break
            }
            index += 1
        }
        return members
    }
}
