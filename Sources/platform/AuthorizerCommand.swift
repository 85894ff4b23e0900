import ArgumentParser
import Foundation
import Gateway
import Hummingbird
import LocalAuthorizer
import PlatformDB

/// `platform authorizer`: the Authorizer-compatible identity server, with Authorizer 2.x's flag names.
struct AuthorizerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "authorizer",
        abstract: "Run the Authorizer-compatible identity server (Authorizer 2.x wire contract).",
        discussion: """
            Examples:
              platform authorizer --client-id platform --client-secret "$CLIENT_SECRET" --admin-secret "$ADMIN_SECRET"
              platform authorizer --jwt-type RS256 --http-port 9000 --env e2e --webhook http://127.0.0.1:8080/webhooks/authorizer
              platform authorizer --database-url postgres://authorizer:…@db/authorizer --enable-email-verification true
            Mail (verification, reset and sign-in links, one-time codes) goes to GET /_dev/outbox, read with the admin secret.
            """
    )

    @Option(name: .customLong("http-port"), help: "Port to listen on.")
    var httpPort = 8081
    @Option(
        help:
            "Public URL of this server; its scheme and host are the tokens' iss. Default: http://127.0.0.1:<http-port>")
    var url: String?
    @Option(name: .customLong("client-id"), help: "Client id: the tokens' aud and the JWKS kid.")
    var clientID = "local-client-id"
    @Option(
        name: .customLong("client-secret"), help: "Client secret; signs webhook bodies. Env: AUTHORIZER_CLIENT_SECRET")
    var clientSecret: String?
    @Option(name: .customLong("admin-secret"), help: "Admin secret for the _ operations. Env: AUTHORIZER_ADMIN_SECRET")
    var adminSecret: String?
    @Option(
        name: .customLong("database-url"),
        help: "This server's own database (never the platform's). Default: sqlite://data/authorizer/authorizer.sqlite")
    var databaseURL = "sqlite://data/authorizer/authorizer.sqlite"
    @Option(name: .customLong("data-folder"), help: "Where generated signing keys are kept.")
    var dataFolder = "data/authorizer"
    @Option(name: .customLong("jwt-type"), help: "HS256/384/512, RS256/384/512 or ES256/384/512.")
    var jwtType = "RS256"
    @Option(name: .customLong("jwt-secret"), help: "HS* secret (under 32 bytes: a warning). Env: AUTHORIZER_JWT_SECRET")
    var jwtSecret: String?
    @Option(name: .customLong("jwt-private-key"), help: "PEM private key for RS*/ES* (generated when absent).")
    var jwtPrivateKey: String?
    @Option(name: .customLong("jwt-public-key"), help: "PEM public key (derived from the private key when absent).")
    var jwtPublicKey: String?
    @Option(
        name: .customLong("jwt-previous-public-key"),
        help:
            "PEM public key (or a PEM file) of an earlier RS256 key, still published and accepted after a rotation; repeatable."
    )
    var jwtPreviousPublicKeys: [String] = []
    @Option(name: .customLong("jwt-role-claim"), help: "Claim of the id token that holds the active roles.")
    var jwtRoleClaim = "role"
    @Option(help: "Comma-separated roles a user may hold.")
    var roles = "user,admin"
    @Option(name: .customLong("default-roles"), help: "Comma-separated roles given at signup.")
    var defaultRoles = "user"
    @Option(name: .customLong("protected-roles"), help: "Comma-separated roles signup may not request.")
    var protectedRoles = ""
    @Option(name: .customLong("enable-strong-password"), help: "Require upper, lower, digit and other characters.")
    var enableStrongPassword = true
    @Option(name: .customLong("enable-email-verification"), help: "Withhold tokens until the email is verified.")
    var enableEmailVerification = false
    @Option(name: .customLong("enable-signup"), help: "Allow signup.")
    var enableSignup = true
    @Option(
        name: .customLong("allowed-origins"), help: "Comma-separated allowed origins; * means the request's own host.")
    var allowedOrigins = "*"
    @Option(name: .customLong("refresh-token-expires-in"), help: "Refresh token lifetime, seconds.")
    var refreshTokenExpiresIn: Int64 = 2_592_000
    @Option(name: .customLong("log-level"), help: "Log level. Env: LOG_LEVEL. Default: info")
    var logLevel: String?
    @Option(name: .customLong("log-format"), help: "Log format: text or json. Env: LOG_FORMAT. Default: text")
    var logFormat: String?
    @Flag(name: .customLong("disable-mfa"), help: "Turn MFA off: every sign-in gets its tokens at once.")
    var disableMFA = false
    @Flag(name: .customLong("enforce-mfa"), help: "Every user must enrol a factor; skipping is refused.")
    var enforceMFA = false
    @Flag(name: .customLong("disable-totp-login"), help: "No authenticator-app (TOTP) factor.")
    var disableTOTPLogin = false
    @Flag(name: .customLong("disable-email-otp"), help: "No emailed one-time code as a factor.")
    var disableEmailOTP = false
    @Flag(name: .customLong("disable-webauthn-mfa"), help: "Offer no passkey factor (passkeys are not served here).")
    var disableWebauthnMFA = false
    @Flag(
        name: .customLong("enable-magic-link-login"),
        help: "Sign in by a mailed link (mailed only with --enable-email-verification true).")
    var enableMagicLinkLogin = false
    @Option(name: .customLong("webhook"), help: "Subscribe this URL to every event (repeatable).")
    var webhooks: [String] = []
    @Option(help: "Environment; e2e lets webhooks reach loopback and private addresses, refused otherwise.")
    var env = ""
    @Option(name: .customLong("enable-graphql-introspection"), help: "Answer introspection queries.")
    var enableGraphQLIntrospection = true
    @Option(name: .customLong("graphql-max-depth"), help: "Deepest field nesting of an operation (0: the default).")
    var graphqlMaxDepth = 15
    @Option(name: .customLong("graphql-max-aliases"), help: "Most aliases in an operation (0: the default).")
    var graphqlMaxAliases = 30
    @Option(
        name: .customLong("graphql-max-complexity"),
        help: "Most fields in an operation, __schema free (0: the default).")
    var graphqlMaxComplexity = 300
    @Option(name: .customLong("graphql-max-body-bytes"), help: "Largest /graphql body, bytes.")
    var graphqlMaxBodyBytes = 1 << 20
    @Option(
        name: .customLong("rate-limit-rps"),
        help: "Requests per second per client IP, a whole number as Authorizer's (0 turns the limit off).")
    var rateLimitRPS = 30
    @Option(
        name: .customLong("rate-limit-burst"),
        help: "Bucket size per client IP: requests allowed at once (0 refuses everything, as Authorizer).")
    var rateLimitBurst = 20

    func run() async throws {
        let logger = try CommonOptions.makeLogger(
            label: "platform.authorizer",
            settings: SettingsReader(flags: [.logLevel: logLevel.map { [$0] }, .logFormat: logFormat.map { [$0] }]))
        guard let type = AuthorizerConfiguration.JWTType(rawValue: jwtType.uppercased()) else {
            throw ValidationError(
                "--jwt-type: '\(jwtType)' is not one of HS256, HS384, HS512, RS256, RS384, RS512, ES256, ES384, ES512")
        }
        let settings = SettingsReader(flags: [
            .clientSecret: clientSecret.map { [$0] }, .adminSecret: adminSecret.map { [$0] },
            .jwtSecret: jwtSecret.map { [$0] },
        ])
        guard let clientSecret = try settings.secret(.clientSecret) else {
            throw ValidationError("--client-secret (or AUTHORIZER_CLIENT_SECRET) is required")
        }
        guard let adminSecret = try settings.secret(.adminSecret) else {
            throw ValidationError("--admin-secret (or AUTHORIZER_ADMIN_SECRET) is required")
        }
        var configuration = AuthorizerConfiguration(
            clientID: clientID, clientSecret: clientSecret, adminSecret: adminSecret)
        configuration.httpPort = httpPort
        configuration.url = url
        do {
            configuration.databaseURL = try DatabaseURL(databaseURL)
        } catch {
            throw ValidationError("--database-url: \(error)")
        }
        configuration.dataFolder = dataFolder
        configuration.jwtType = type
        configuration.jwtSecret = try settings.secret(
            .jwtSecret, minimumBytes: 1, warnBelow: SecretSetting.jwtRecommendedBytes)
        configuration.jwtPrivateKey = try jwtPrivateKey.map(Self.readPEM)
        configuration.jwtPublicKey = try jwtPublicKey.map(Self.readPEM)
        configuration.jwtPreviousPublicKeys = try jwtPreviousPublicKeys.map(Self.readPEM)
        configuration.jwtRoleClaim = jwtRoleClaim
        configuration.roles = Self.list(roles)
        configuration.defaultRoles = Self.list(defaultRoles)
        configuration.protectedRoles = Self.list(protectedRoles)
        configuration.enableStrongPassword = enableStrongPassword
        configuration.enableEmailVerification = enableEmailVerification
        configuration.enableSignup = enableSignup
        configuration.allowedOrigins = Self.list(allowedOrigins)
        configuration.refreshTokenExpiresIn = refreshTokenExpiresIn
        configuration.webhookURLs = webhooks
        configuration.env = env
        configuration.disableMFA = disableMFA
        configuration.enforceMFA = enforceMFA
        configuration.disableTOTPLogin = disableTOTPLogin
        configuration.disableEmailOTP = disableEmailOTP
        configuration.disableWebauthnMFA = disableWebauthnMFA
        configuration.enableMagicLinkLogin = enableMagicLinkLogin
        configuration.enableGraphQLIntrospection = enableGraphQLIntrospection
        configuration.graphqlMaxDepth = graphqlMaxDepth
        configuration.graphqlMaxAliases = graphqlMaxAliases
        configuration.graphqlMaxComplexity = graphqlMaxComplexity
        guard graphqlMaxBodyBytes > 0 else { throw ValidationError("--graphql-max-body-bytes: must be above 0") }
        configuration.graphqlMaxBodyBytes = graphqlMaxBodyBytes
        guard rateLimitBurst >= 0 else { throw ValidationError("--rate-limit-burst must be 0 or more") }
        configuration.rateLimitRPS = Double(rateLimitRPS)
        configuration.rateLimitBurst = rateLimitBurst
        let app = try await buildAuthorizerApplication(configuration: configuration, logger: logger)
        try await app.runService()
    }

    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// A PEM given inline or as a path to a file.
    static func readPEM(_ value: String) throws -> String {
        if value.contains("-----BEGIN") { return value }
        do {
            return try String(contentsOfFile: value, encoding: .utf8)
        } catch {
            throw ValidationError("cannot read PEM file \(value)")
        }
    }
}
