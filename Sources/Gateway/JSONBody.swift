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

    /// A required, trimmed, non-empty string of at most `max` characters.
    static func text(_ value: String, field: String, max: Int = 320) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw Problem.badRequest("'\(field)' must not be empty", field: field) }
        guard trimmed.count <= max else { throw Problem.badRequest("'\(field)' is longer than \(max) characters", field: field) }
        return trimmed
    }
}
