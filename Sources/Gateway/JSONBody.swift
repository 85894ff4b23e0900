import AuthorizerClient
import Foundation
import Hummingbird

/// Strict JSON request bodies: size-limited, an object, no unknown fields, and every failure a
/// 4xx problem that names the field.
enum JSONBody {
    static let maxBytes = 64 * 1024

    static func decode<T: Decodable>(
        _ type: T.Type, from request: Request, allowed: Set<String>, maxBytes: Int = JSONBody.maxBytes
    ) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBytes)
        } catch {
            throw Problem(.contentTooLarge, type: "body-too-large", title: "Body too large", detail: "at most \(maxBytes) bytes")
        }
        let data = Data(buffer: buffer)
        guard let object = try? JSONDecoder().decode([String: JSONInput].self, from: data) else {
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

    /// The path of the first string or key holding U+0000, if any.
    static func nulPath(in value: JSONInput, at path: String) -> String? {
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
        case .number, .bool, .null: break
        }
        return nil
    }

    /// A required, trimmed, non-empty string of at most `max` characters.
    static func text(_ value: String, field: String, max: Int = 320) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw Problem.badRequest("'\(field)' must not be empty", field: field) }
        guard trimmed.count <= max else { throw Problem.badRequest("'\(field)' is longer than \(max) characters", field: field) }
        return trimmed
    }
}
