import AuthorizerClient
import Foundation
import Hummingbird

/// `POST /oauth/token` (the authorization-code grant with PKCE, and the refresh-token grant with
/// rotation), `POST /oauth/revoke`, and the development outbox `GET /_dev/outbox`.
struct OAuthController: Sendable {
    let auth: AuthService
    let endpoint: GraphQLEndpoint

    func addRoutes(to router: Router<some RequestContext>) {
        router.post("/oauth/token") { request, _ in try await token(request) }
        router.post("/oauth/revoke") { request, _ in try await revoke(request) }
        router.get("/_dev/outbox") { request, _ in try await outbox(request) }
    }

    /// Not behind the CSRF guard: `http_handlers/csrf.go` exempts `/oauth/token` and
    /// `/oauth/revoke`, which servers and native apps call without an Origin.
    private func token(_ request: Request) async throws -> Response {
        guard let form = try await Self.form(request) else {
            return Self.oauthError("invalid_request", "unreadable body")
        }
        // Trimmed, as `http_handlers/token.go` trims them.
        let typed = (form["grant_type"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let grant = typed.isEmpty ? "authorization_code" : typed
        let result: AuthService.AuthResult
        guard grant == "authorization_code" || grant == "refresh_token" else {
            return Self.oauthError("unsupported_grant_type", "grant_type is not supported")
        }
        // service/clientauth/clientauth.go, for both grants: the client first, before any code or
        // refresh token is looked at.
        let clientID = (form["client_id"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !clientID.isEmpty else {
            return Self.oauthError("invalid_request", "The client_id parameter is required")
        }
        guard clientID == auth.configuration.clientID else {
            return Self.oauthError("invalid_client", "Client authentication failed")
        }
        switch grant {
        case "authorization_code":
            do {
                result = try await auth.exchangeCode(
                    form["code"], verifier: form["code_verifier"], clientID: clientID,
                    clientSecret: form["client_secret"],
                    redirectURI: form["redirect_uri"])
            } catch let failure as OAuthFailure {
                return GraphQLEndpoint.json(
                    .init(code: failure.status), ["error": failure.error, "error_description": failure.description])
            }
        case "refresh_token":
            guard let refreshToken = form["refresh_token"], !refreshToken.isEmpty else {
                return Self.oauthError(
                    "invalid_request", "The refresh_token parameter is required for refresh_token grant type")
            }
            do {
                result = try await auth.refresh(refreshToken)
            } catch {
                return Self.oauthError("invalid_grant", "The refresh token is invalid or has expired")
            }
        default:
            return Self.oauthError("unsupported_grant_type", "grant_type is not supported")
        }
        // http_handlers/token.go: the old refresh token's roles and scope, scope space-joined.
        var body: [String: JSONValue] = [
            "token_type": .string("Bearer"), "expires_in": .int(result.expiresIn ?? 0),
            "roles": .array((result.roles ?? []).map(JSONValue.string)),
            "scope": .string((result.scope ?? []).joined(separator: " ")),
        ]
        body["access_token"] = result.accessToken.map(JSONValue.string)
        body["id_token"] = result.idToken.map(JSONValue.string)
        body["refresh_token"] = result.refreshToken.map(JSONValue.string)
        return GraphQLEndpoint.encode(.ok, body)
    }

    /// RFC 7009: an unknown or already-invalid token is not an error.
    private func revoke(_ request: Request) async throws -> Response {
        guard let form = try await Self.form(request),
            let token = form["refresh_token"] ?? form["token"], !token.isEmpty
        else { return Self.oauthError("invalid_request", "refresh_token is required") }
        try? await auth.revoke(refreshToken: token)
        return GraphQLEndpoint.json(.ok, ["message": "Token revoked"])
    }

    private func outbox(_ request: Request) async throws -> Response {
        guard endpoint.isAdmin(request) else {
            return GraphQLEndpoint.json(.unauthorized, ["error": "unauthorized"])
        }
        return GraphQLEndpoint.encode(.ok, ["messages": try await auth.store.outbox()])
    }

    /// The fields of a form-encoded or JSON body.
    static func form(_ request: Request) async throws -> [String: String]? {
        guard let buffer = try? await request.body.collect(upTo: 64 * 1024) else { return nil }
        let data = Data(buffer: buffer)
        if request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true {
            return (try? JSONDecoder().decode([String: JSONValue].self, from: data))?.compactMapValues(\.string)
        }
        var components = URLComponents()
        components.percentEncodedQuery = String(decoding: data, as: UTF8.self).replacingOccurrences(
            of: "+", with: "%20")
        guard let items = components.queryItems else { return [:] }
        return Dictionary(items.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
    }

    static func oauthError(_ code: String, _ description: String) -> Response {
        GraphQLEndpoint.json(.badRequest, ["error": code, "error_description": description])
    }
}
