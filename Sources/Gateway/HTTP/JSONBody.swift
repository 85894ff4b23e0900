import AuthorizerClient
import Foundation
import Hummingbird

/// Strict JSON request bodies: size-limited, an object, no unknown fields, and every failure a
/// 4xx problem that names the field.
enum JSONBody {
    static let maxBytes = 64 * 1024
    /// How deep a field's value may nest (arrays and objects). Every stored JSON value is written
    /// again inside a response (a list page wraps it in three more levels), and a value nested
    /// near the encoders' limit of 512 was stored with a 201 and then made every page holding it
    /// a 500.
    static let maxDepth = 32

    static func decode<T: Decodable>(
        _ type: T.Type, from request: Request, allowed: Set<String>, maxBytes: Int = JSONBody.maxBytes
    ) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBytes)
        } catch {
            throw Problem(
                .contentTooLarge, type: "body-too-large", title: "Body too large", detail: "at most \(maxBytes) bytes")
        }
        let data = Data(buffer: buffer)
        let nesting = nesting(of: data)
        if nesting.depth > maxDepth + 1 {
            let field = nesting.field ?? "(body)"
            throw Problem.badRequest("'\(field)' is nested deeper than \(maxDepth) levels", field: nesting.field)
        }
        guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: data) else {
            throw Problem.badRequest("the body must be a JSON object")
        }
        if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw Problem.badRequest("unknown field '\(unknown)'", field: unknown)
        }
        // Neither database stores U+0000 in text; refuse it here, naming where it is.
        if let path = nulPath(in: .object(object), at: "") {
            throw Problem.badRequest("'\(path)' contains a NUL character (U+0000)", field: path)
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw Problem.badRequest("'\(key.stringValue)' is required", field: key.stringValue)
        } catch let DecodingError.typeMismatch(_, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw Problem.badRequest("'\(field)' has the wrong type", field: field)
        } catch let DecodingError.valueNotFound(_, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw Problem.badRequest("'\(field)' must not be null", field: field)
        } catch let problem as Problem {
            throw problem
        } catch {
            throw Problem.badRequest("the body could not be read")
        }
    }

    /// How deep the JSON text `bytes` nests, from its brackets outside strings, in one pass and no
    /// allocation but the key it names: the deepest level, and the top-level key under which the
    /// nesting first passed `limit` levels (the depth of a top-level field's value: 1 for
    /// an array or object of scalars). Run before anything is decoded, because the decoder's own limit
    /// (512) fails without naming the field.
    static func nesting(of bytes: Data, limit: Int = maxDepth) -> (depth: Int, field: String?) {
        var depth = 0
        var deepest = 0
        var inString = false
        var escaped = false
        var stringStart = bytes.startIndex
        var lastTopLevelString: Range<Data.Index>?
        var field: Range<Data.Index>?
        var found: String?
        for index in bytes.indices {
            let byte = bytes[index]
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if depth == 1 { lastTopLevelString = stringStart..<index }
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
                stringStart = bytes.index(after: index)
            case UInt8(ascii: ":") where depth == 1:
                field = lastTopLevelString
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                deepest = max(deepest, depth)
                // The body's own object is level 1, so a field's value passes `limit` at limit + 2.
                if found == nil, depth > limit + 1, let field { found = String(decoding: bytes[field], as: UTF8.self) }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return (deepest, found)
    }

    /// The path of the first string or key holding U+0000, if any.
    static func nulPath(in value: JSONValue, at path: String) -> String? {
        switch value {
        case .string(let text): return text.utf8.contains(0) ? path : nil
        case .array(let items):
            for (index, item) in items.enumerated() {
                if let found = nulPath(in: item, at: "\(path)[\(index)]") { return found }
            }
        case .object(let fields):
            for key in fields.keys.sorted() {
                let child = path.isEmpty ? key : "\(path).\(key)"
                if key.utf8.contains(0) { return child }
                if let found = nulPath(in: fields[key]!, at: child) { return found }
            }
        case .int, .double, .bool, .null: break
        }
        return nil
    }

    /// A required, trimmed, non-empty string of at most `max` characters.
    static func text(_ value: String, field: String, max: Int = 320) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw Problem.badRequest("'\(field)' must not be empty", field: field) }
        guard trimmed.count <= max else {
            throw Problem.badRequest("'\(field)' is longer than \(max) characters", field: field)
        }
        return trimmed
    }
}
