import Foundation
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
    /// `--jwt-type`: HS256/384/512, RS256/384/512 or ES256/384/512.
    public var jwtType: JWTType = .hs256
    /// `--jwt-secret` for HS256/384/512; any non-empty secret, as Authorizer.
    public var jwtSecret: String?
    /// `--jwt-private-key` / `--jwt-public-key` (PEM) for RS* and ES*; generated when absent.
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
    /// `--enable-graphql-introspection` (on by default in 2.4, `cmd/root.go`).
    public var enableGraphQLIntrospection = true
    /// `--graphql-max-depth`, `--graphql-max-aliases`, `--graphql-max-complexity`: 15, 30, 300;
    /// a value of 0 or less means the default, as in Authorizer (`http_handlers/graphql.go`).
    public var graphqlMaxDepth = 15
    public var graphqlMaxAliases = 30
    public var graphqlMaxComplexity = 300
    /// `--graphql-max-body-bytes`: 1 MiB.
    public var graphqlMaxBodyBytes = 1 << 20
    /// `--rate-limit-rps` and `--rate-limit-burst`: a token bucket per client IP, 30 per second
    /// with a burst of 20; rps 0 or less turns it off (`http_handlers/rate_limit.go`).
    public var rateLimitRPS: Double = 30
    public var rateLimitBurst = 20
    /// `--env`: `e2e` lets webhooks reach loopback and private addresses, which 2.4 refuses
    /// otherwise (`validators/endpoint.go`).
    public var env = ""
    /// `--enforce-mfa`, `--disable-mfa`, `--disable-totp-login`, `--disable-email-otp`,
    /// `--disable-webauthn-mfa`: 2.4 offers MFA by default (optional, TOTP and passkeys, email OTP
    /// where mail works), and `--disable-mfa` turns all of it off (`cmd/root.go`,
    /// `config/config.go` `Finalize`). This server's outbox is its mail service.
    public var enforceMFA = false
    public var disableMFA = false
    public var disableTOTPLogin = false
    public var disableEmailOTP = false
    public var disableWebauthnMFA = false
    /// `--enable-magic-link-login` (off by default); links are mailed only while email
    /// verification is on (`service/magic_link_login.go`).
    public var enableMagicLinkLogin = false
    /// `platform dev` only: log each mail's link or code, since no mail is sent. Off otherwise:
    /// a link or code is a credential.
    public var logMailLinks = false

    /// The algorithms this server signs with: Authorizer 2.4's `--jwt-type` values
    /// (`internal/token/provider.go`).
    public enum JWTType: String, Sendable, CaseIterable {
        case hs256 = "HS256", hs384 = "HS384", hs512 = "HS512"
        case rs256 = "RS256", rs384 = "RS384", rs512 = "RS512"
        case es256 = "ES256", es384 = "ES384", es512 = "ES512"

        /// The key kind behind the algorithm.
        public enum Family: Sendable { case hmac, rsa, ecdsa }

        public var family: Family {
            switch self {
            case .hs256, .hs384, .hs512: .hmac
            case .rs256, .rs384, .rs512: .rsa
            case .es256, .es384, .es512: .ecdsa
            }
        }

        /// The digest size: 256, 384 or 512.
        public var bits: Int { Int(rawValue.dropFirst(2)) ?? 256 }
    }

    public init(clientID: String, clientSecret: String, adminSecret: String) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.adminSecret = adminSecret
    }

    /// The tokens' issuer: the scheme and host (with port) of `--url`, its path, query and
    /// trailing slash dropped (`internal/parsers/url.go`, `sanitizeAuthorizerURL`).
    public var issuer: String {
        guard let url else { return "http://\(host):\(httpPort)" }
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(),
            let hostName = parts.host,
            !hostName.isEmpty
        else {
            var text = url
            while text.hasSuffix("/") { text.removeLast() }
            return text
        }
        let shownHost = hostName.contains(":") && !hostName.hasPrefix("[") ? "[\(hostName)]" : hostName
        return "\(scheme)://\(shownHost)" + (parts.port.map { ":\($0)" } ?? "")
    }

    /// `EnableMFA` as `config.Finalize` derives it: some factor is on and MFA is not disabled.
    var enableMFA: Bool { !disableMFA && (!disableTOTPLogin || !disableWebauthnMFA || !disableEmailOTP) }
    /// Whether a first sign-in must enrol a factor (no skipping).
    var enforcesMFA: Bool { enforceMFA && !disableMFA }
    var enableTOTP: Bool { !disableTOTPLogin }
    var enableEmailOTP: Bool { !disableEmailOTP }
    var enableWebauthnMFA: Bool { !disableWebauthnMFA }

    /// Whether webhooks may reach loopback and private addresses (`--env=e2e`).
    public var allowsPrivateWebhooks: Bool { env == "e2e" }

    /// The GraphQL limits, defaults where a flag is 0 or less.
    var queryLimits: QueryLimits {
        QueryLimits(
            maxDepth: graphqlMaxDepth > 0 ? graphqlMaxDepth : 15,
            maxAliases: graphqlMaxAliases > 0 ? graphqlMaxAliases : 30,
            maxComplexity: graphqlMaxComplexity > 0 ? graphqlMaxComplexity : 300)
    }

    /// The version `meta` reports by default; this server speaks Authorizer 2.4's contract.
    public static let version = "2.4.0-local"
    /// What `meta { version }` answers. Real builds often say nothing of their version
    /// (`latest`, `0.1.0-local`, `0.0.1`: `internal/constants/env.go`, the Makefile, the Dockerfile).
    public var metaVersion = AuthorizerConfiguration.version
}

extension AuthorizerConfiguration: CustomStringConvertible {
    /// Secrets and keys redacted: this may end up in a log.
    public var description: String {
        "AuthorizerConfiguration(clientID: \(clientID), port: \(httpPort), jwt: \(jwtType), database: \(databaseURL))"
    }
}
