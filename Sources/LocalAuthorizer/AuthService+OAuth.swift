import Crypto
import Foundation
import SQLKit

/// A refusal of `/authorize` or `/oauth/token`: the HTTP status and the OAuth error body
/// (`http_handlers/authorize.go`, `http_handlers/token.go`, tag 2.4.0).
struct OAuthFailure: Error, Sendable {
    var status: Int = 400
    var error: String
    var description: String
}

/// The authorization-code flow with PKCE (RFC 7636), as Authorizer 2.4 serves it.
extension AuthService {
    /// What `/authorize` checked, for the code it issues.
    struct AuthorizationRequest: Sendable {
        var clientID: String
        var redirectURI: String
        var challenge: String
        var challengeMethod: String
        var scope: [String]
    }

    /// A code for the browser session of `cookie`, or nil when there is none (the login page
    /// comes first). The session rolls over into a new one with the requested scope, whose
    /// cookie is answered too; the code lives 10 minutes (`memory_store` state TTL).
    func issueCode(cookie: String?, for request: AuthorizationRequest) async throws -> (code: String, cookie: String)? {
        guard let (old, user) = try? await liveSession(cookie: cookie) else { return nil }
        let newCookie = AuthorizerStore.randomToken()
        let refreshID = request.scope.contains("offline_access") ? UUID().uuidString.lowercased() : nil
        let session = AuthorizerStore.Session(
            nonce: UUID().uuidString.lowercased(), userID: user.id, roles: old.roles, scope: request.scope,
            loginMethod: old.loginMethod,
            expiresAt: now
                + max(configuration.accessTokenExpiresIn, refreshID == nil ? 0 : configuration.refreshTokenExpiresIn),
            cookieHash: AuthorizerStore.hash(newCookie), refreshID: refreshID)
        try await store.createSession(session, now: now)
        try await store.deleteSession(nonce: old.nonce)
        let code = UUID().uuidString.lowercased()
        try await store.database.withConnection { sql in
            try await sql.insert(into: "authorizer_authorization_codes")
                .columns(
                    "code_hash", "client_id", "redirect_uri", "challenge", "challenge_method", "session_nonce",
                    "expires_at"
                )
                .values(
                    SQLBind(AuthorizerStore.hash(code)), SQLBind(request.clientID), SQLBind(request.redirectURI),
                    SQLBind(request.challenge), SQLBind(request.challengeMethod), SQLBind(session.nonce),
                    SQLBind(now + 600)
                ).run()
        }
        return (code, newCookie)
    }

    /// `grant_type=authorization_code`, in `token.go`'s order: the code is spent first, then the
    /// client, the redirect URI and the PKCE verifier are checked, then the session it was issued in.
    func exchangeCode(
        _ code: String?, verifier: String?, clientID: String, clientSecret: String?, redirectURI: String?
    ) async throws -> AuthResult {
        guard let code, !code.isEmpty else {
            throw OAuthFailure(
                error: "invalid_request",
                description: "The code parameter is required for authorization_code grant type")
        }
        let now = self.now
        let row = try await store.database.withConnection { sql in
            try await sql.delete(from: "authorizer_authorization_codes")
                .where("code_hash", .equal, SQLBind(AuthorizerStore.hash(code)))
                .returning("client_id", "redirect_uri", "challenge", "challenge_method", "session_nonce", "expires_at")
                .first()
        }
        guard let row, try row.decode(column: "expires_at", as: Int64.self) > now else {
            throw OAuthFailure(error: "invalid_grant", description: "The authorization code is invalid or has expired")
        }
        let issuedTo = try row.decode(column: "client_id", as: String.self)
        guard issuedTo.isEmpty || issuedTo == clientID else {
            throw OAuthFailure(
                error: "invalid_grant", description: "The authorization code was not issued to this client")
        }
        let storedRedirect = try row.decode(column: "redirect_uri", as: String.self)
        guard let redirectURI, !redirectURI.isEmpty else {
            throw OAuthFailure(
                error: "invalid_request",
                description: "redirect_uri is required when it was included in the authorization request")
        }
        guard redirectURI == storedRedirect else {
            throw OAuthFailure(
                error: "invalid_grant",
                description: "redirect_uri does not match the one used in the authorization request")
        }
        try checkVerifier(
            verifier, challenge: try row.decode(column: "challenge", as: String.self),
            method: try row.decode(column: "challenge_method", as: String.self), clientSecret: clientSecret)
        guard let session = try await store.session(nonce: try row.decode(column: "session_nonce", as: String.self)),
            session.expiresAt > now
        else { throw OAuthFailure(status: 401, error: "unauthorized", description: "Invalid session data") }
        guard let user = try await store.user(id: session.userID) else {
            throw OAuthFailure(status: 401, error: "unauthorized", description: "User not found")
        }
        guard user.revokedTimestamp == nil else {
            throw OAuthFailure(status: 401, error: "unauthorized", description: "User is not active")
        }
        return try await mint(session, user: user, message: "")
    }

    /// RFC 7636 section 4.6: S256 compares base64url(SHA-256(verifier)), plain the verifier itself;
    /// without a challenge the client secret stands in.
    private func checkVerifier(_ verifier: String?, challenge: String, method: String, clientSecret: String?) throws {
        let verifier = verifier ?? ""
        guard !challenge.isEmpty else {
            guard verifier.isEmpty else {
                throw OAuthFailure(
                    error: "invalid_request",
                    description: "code_verifier was provided but no code_challenge was registered")
            }
            guard let clientSecret, !clientSecret.isEmpty else {
                throw OAuthFailure(
                    error: "invalid_request", description: "Either code_verifier or client_secret is required")
            }
            guard AdminSecret.matches(clientSecret, configuration.clientSecret) else {
                throw OAuthFailure(status: 401, error: "invalid_client", description: "Client authentication failed")
            }
            return
        }
        guard !verifier.isEmpty else {
            throw OAuthFailure(
                error: "invalid_request", description: "code_verifier is required when code_challenge was used")
        }
        let computed: String
        switch method {
        case "S256":
            computed = Data(SHA256.hash(data: Data(verifier.utf8))).base64URLEncodedString()
        case "plain":
            computed = verifier
        default:
            throw OAuthFailure(error: "invalid_request", description: "Unsupported code_challenge_method")
        }
        let expected = method == "S256" ? String(challenge.reversed().drop { $0 == "=" }.reversed()) : challenge
        guard computed == expected else {
            throw OAuthFailure(
                error: "invalid_grant", description: "The code_verifier does not match the code_challenge")
        }
    }
}
