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
