import PlatformDB

/// The local Authorizer's settings. Names follow Authorizer 2.x's command-line flags.
public struct AuthorizerConfiguration: Sendable {
    /// Address to listen on.
    public var host = "127.0.0.1"
    /// `--http-port`.
    public var httpPort = 8081
    /// `--url`: the public URL, used as the tokens' `iss`; defaults to `http://host:port`.
    public var url: String?
    /// `--client-id`: the tokens' `aud` and the JWKS `kid`.
    public var clientID: String
    /// `--client-secret`: signs webhook bodies (`X-Authorizer-Signature`).
    public var clientSecret: String
    /// `--admin-secret`: grants the `_` admin operations.
    public var adminSecret: String
    /// `--database-url`: this server's own database, never the platform's.
    public var databaseURL: DatabaseURL = .sqliteMemory
    /// Where generated keys are kept.
    public var dataFolder = "data/authorizer"
    /// `--jwt-type`: HS256, RS256 or ES256.
    public var jwtType: JWTType = .hs256
    /// `--jwt-secret` for HS256.
    public var jwtSecret: String?
    /// `--jwt-private-key` / `--jwt-public-key` (PEM) for RS256 and ES256; generated when absent.
    public var jwtPrivateKey: String?
    public var jwtPublicKey: String?
    /// Public keys (PEM) of earlier signing keys, kept in the JWKS and accepted for verification
    /// after a key rotation, so that tokens they signed work until they expire.
    public var jwtPreviousPublicKeys: [String] = []
    /// `--jwt-role-claim`: where id tokens carry the active roles.
    public var jwtRoleClaim = "role"
    /// `--roles`, `--default-roles`, `--protected-roles`.
    public var roles = ["user", "admin"]
    public var defaultRoles = ["user"]
    public var protectedRoles: [String] = []
    /// `--enable-strong-password`, `--enable-email-verification`, `--enable-signup`.
    public var enableStrongPassword = true
    public var enableEmailVerification = false
    public var enableSignup = true
    /// `--allowed-origins`; `*` means "same host as the request" for the CSRF rule.
    public var allowedOrigins = ["*"]
    /// `--refresh-token-expires-in`, seconds.
    public var refreshTokenExpiresIn: Int64 = 2_592_000
    /// Access and id token lifetime, seconds (Authorizer's fixed 30 minutes).
    public var accessTokenExpiresIn: Int64 = 1800
    /// `--webhook URL`: subscribes each URL to every event.
    public var webhookURLs: [String] = []
    /// Webhook delivery timeout, seconds (Authorizer's 30).
    public var webhookTimeout: Int64 = 30
    /// bcrypt cost (Go's default cost, as Authorizer uses).
    public var bcryptCost: UInt8 = 10

    /// The algorithms this server signs with.
    public enum JWTType: String, Sendable, CaseIterable {
        case hs256 = "HS256"
        case rs256 = "RS256"
        case es256 = "ES256"
    }

    public init(clientID: String, clientSecret: String, adminSecret: String) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.adminSecret = adminSecret
    }

    /// The tokens' issuer: the public URL without a trailing slash.
    public var issuer: String {
        var text = url ?? "http://\(host):\(httpPort)"
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    /// The version `meta` reports; this server speaks Authorizer 2.4's contract.
    public static let version = "2.4.0-local"
}

extension AuthorizerConfiguration: CustomStringConvertible {
    /// Secrets and keys redacted: this may end up in a log.
    public var description: String {
        "AuthorizerConfiguration(clientID: \(clientID), port: \(httpPort), jwt: \(jwtType), database: \(databaseURL))"
    }
}
