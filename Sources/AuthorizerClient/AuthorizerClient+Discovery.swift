import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat

/// What a gateway learns about an Authorizer it was not told: which GraphQL dialect it speaks
/// when `meta.version` does not say, and the issuer its tokens carry.
extension AuthorizerClient {
    /// Which `_users` input the schema has, by introspection (on by default in 2.x,
    /// `--enable-graphql-introspection`); nil when it cannot tell. 1.x reports its version.
    func versionFromSchema() async throws -> AuthorizerVersion? {
        struct TypeName: Decodable { var name: String? }
        struct Types: Decodable {
            var list: TypeName?
            var paginated: TypeName?
        }
        let document = """
            query Version {
              list: __type(name: "ListUsersRequest") { name } paginated: __type(name: "PaginatedRequest") { name }
              legacy: __type(name: "PaginatedInput") { name }
            }
            """
        let body = try JSONEncoder().encode(GraphQLRequest(query: document, variables: [:]))
        // Retried like any idempotent call: a 429 or 503 at start must not fix the wrong version.
        for attempt in 1...max(1, configuration.attempts) {
            let (status, data, retryAfter, _) = try await send(
                path: "/graphql", body: body, contentType: "application/json", admin: false)
            if status == 429 || status >= 500, attempt < configuration.attempts {
                let delay =
                    status == 429
                    ? AuthorizerClientError.tooManyRequests(retryAfter: retryAfter ?? 1)
                    : .unavailable("HTTP \(status)")
                try await Task.sleep(for: .milliseconds(delay.retryDelay(attempt: attempt)))
                continue
            }
            guard status == 200, let reply = try? JSONDecoder().decode(GraphQLReply<TypeName>.self, from: data),
                let types = reply.data
            else { return nil }
            func has(_ key: String) -> Bool { (types[key] ?? nil)?.name != nil }
            if has("legacy") { return .v1 }
            return AuthorizerVersion.fromSchema(hasListUsersRequest: has("list"), hasPaginatedRequest: has("paginated"))
        }
        return nil
    }

    /// The `issuer` of Authorizer's `/.well-known/openid-configuration`, or nil when it cannot be
    /// read now. A gateway that reaches Authorizer by an internal address learns the public issuer
    /// its tokens carry from it.
    public func discoveredIssuer(timeout: TimeAmount = .seconds(2)) async -> String? {
        struct Discovery: Decodable { var issuer: String }
        do {
            var request = HTTPClientRequest(url: configuration.url + "/.well-known/openid-configuration")
            request.method = .GET
            let response = try await http.execute(request, timeout: timeout)
            guard response.status == .ok else { return nil }
            let body = try await response.body.collect(upTo: 1 << 20)
            return try JSONDecoder().decode(Discovery.self, from: Data(buffer: body)).issuer
        } catch {
            return nil
        }
    }
}
