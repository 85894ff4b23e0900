import GraphQL
import Synchronization

/// What a resolver knows about the HTTP request it serves, and the cookies it sets in reply.
final class GraphQLRequestInfo: Sendable {
    /// The bearer token of `Authorization`, if any.
    let bearerToken: String?
    /// The browser session cookie, if any.
    let sessionCookie: String?
    /// Whether the admin secret (or the admin cookie) came with the request.
    let isAdmin: Bool
    /// The `mfa_session` (or `mfa_session_domain`) cookie, if any (`internal/cookie/mfa_session.go`).
    let mfaCookie: String?
    private let setCookies = Mutex<[String]>([])

    init(bearerToken: String?, sessionCookie: String?, isAdmin: Bool, mfaCookie: String? = nil) {
        self.bearerToken = bearerToken
        self.sessionCookie = sessionCookie
        self.isAdmin = isAdmin
        self.mfaCookie = mfaCookie
    }

    /// Adds a `Set-Cookie` value to the response.
    func setCookie(_ value: String) { setCookies.withLock { $0.append(value) } }
    var cookiesToSet: [String] { setCookies.withLock { $0 } }
}
