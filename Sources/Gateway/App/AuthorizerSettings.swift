import AuthorizerClient
import PlatformDB
import Prometheus

/// How the gateway talks to Authorizer and checks its tokens.
public struct AuthorizerSettings: Sendable {
    /// Authorizer's base URL.
    public var url: String
    /// Its client id: the tokens' `aud`.
    public var clientID: String
    /// The admin secret, for `_user` lookups when a user must be provisioned.
    public var adminSecret: String?
    /// Authorizer's `iss`; its URL by default.
    public var issuer: String?
    /// The HS256 secret, when Authorizer signs with one; otherwise the JWKS is used.
    public var jwtSecret: String?
    /// During a rotation of the HS* secret, the previous one: tokens signed with it stay valid
    /// until they expire. Remove it once the longest token lifetime has passed.
    public var previousJWTSecret: String?
    /// The major version; detected with `meta` when nil.
    public var version: AuthorizerVersion?
    /// How each request's token is checked.
    public var guardMode: GuardMode = .hybrid
    /// In hybrid mode, how long a session is trusted after a check at Authorizer.
    public var sessionCheckInterval: Duration = .seconds(30)
    /// How long a loaded user context is reused.
    public var userCacheTTL: Duration = .seconds(5)
    /// New users' roles from Authorizer's (SUPER_ADMIN only by explicit list).
    public var roles = RoleMapping()
    /// How long one call to Authorizer may take: under 3 s, so that a login or signup against a
    /// hung Authorizer is a 503 within 3 s. Tests on a loaded machine give it longer.
    public var requestTimeout: Duration = .milliseconds(2500)
    /// How often `serve` reconciles with Authorizer; nil never.
    public var reconcileInterval: Duration? = .seconds(15 * 60)
    /// Whether the web app's session cookie (``AuthController/sessionCookie``) is `Secure`; only
    /// `platform dev`, served over `http://127.0.0.1`, turns it off.
    public var sessionCookieSecure = true
    /// Where users open the web app (`http(s)://host[:port]`, no trailing slash): the reset links
    /// Authorizer mails lead to `<webAppURL>/#/reset-password?token=…` (Authorizer's
    /// `--allowed-origins` must name this origin, `validators/url.go`). Nil: Authorizer's own page.
    public var webAppURL: String?
    /// Authorizer's address as browsers reach it, for "Sign in with Authorizer" (its
    /// `/authorize`); nil: ``url``.
    public var browserURL: String?

    public init(url: String, clientID: String, adminSecret: String? = nil) {
        self.url = url
        self.clientID = clientID
        self.adminSecret = adminSecret
    }
}

extension AuthorizerSettings: CustomStringConvertible {
    /// Secrets redacted: this may end up in a log.
    public var description: String {
        "AuthorizerSettings(url: \(url), clientID: \(clientID), guardMode: \(guardMode.rawValue), adminSecret: \(adminSecret == nil ? "none" : "<redacted>"), jwtSecret: \(jwtSecret == nil ? "none" : "<redacted>"), previousJWTSecret: \(previousJWTSecret == nil ? "none" : "<redacted>"), version: \(version.map { "\($0)" } ?? "detect"))"
    }
}
