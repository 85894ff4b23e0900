import ArgumentParser
import AuthorizerClient
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Logging
import PlatformDB
import ServiceLifecycle

/// `platform serve`: the gateway over a configured database.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the gateway (migrates the database first unless --no-migrate).",
        discussion: """
            Examples:
              platform serve --database-url postgres://platform_app:…@db/platform --no-migrate \\
                --authorizer-url https://auth.example.com --authorizer-client-id ID \\
                --authorizer-admin-secret "$ADMIN_SECRET" --webhook-authorizer-secret "$CLIENT_SECRET" --super-admin ops@example.com
              platform serve --guard-mode local --cors-allowed-origin https://app.example.com --log-format json
            Every flag has an environment variable (docs/configuration.md).
            """
    )

    @OptionGroup var options: CommonOptions

    @Option(help: "Address to listen on. Env: HOST. Default: 127.0.0.1")
    var host: String?

    @Option(help: "Port to listen on. Env: PORT. Default: 8080")
    var port: Int?

    @Flag(inversion: .prefixedNo, help: "Apply pending migrations before accepting traffic.")
    var migrate = true

    @Option(
        help:
            "Seconds a graceful shutdown (SIGTERM, SIGINT) may take: in-flight requests finish, the webhook worker stops, the pools close; then the process exits anyway. Env: SHUTDOWN_TIMEOUT. Default: 30"
    )
    var shutdownTimeout: Int?

    @Option(
        help:
            "Browser origin allowed to call the API (CORS); repeatable. Env: CORS_ALLOWED_ORIGINS (comma-separated). Default: none"
    )
    var corsAllowedOrigin: [String] = []

    @Option(
        help:
            "Attempts per minute per client IP on /auth/login, /auth/signup and /auth/forgot-password (each counted apart); 0 turns it off. Env: AUTH_RATE_LIMIT_PER_IP. Default: 30"
    )
    var authRateLimitPerIp: Int?

    @Option(
        help:
            "Attempts per minute per email on the same routes; 0 turns it off. Env: AUTH_RATE_LIMIT_PER_EMAIL. Default: 10"
    )
    var authRateLimitPerEmail: Int?

    @Option(
        help:
            "Sign-in attempts per email from one client address in 15 minutes, kept below Authorizer's lockout of 5; 0 turns it off (behind a balancer that hides client addresses, turn it off and limit at the balancer). Env: AUTH_FAILED_LOGINS_PER_ADDRESS. Default: 4"
    )
    var authFailedLoginsPerAddress: Int?

    @Option(
        help:
            "Megabytes of workflow list pages kept until their tenant's workflows change (PostgreSQL only); 0 turns the cache off. Env: PAGE_CACHE_MB. Default: 16"
    )
    var pageCacheMb: Int?

    @OptionGroup var authorizer: AuthorizerOptions

    @OptionGroup var webhooks: WebhookOptions

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var configuration = GatewayConfiguration(
            host: host ?? environment["HOST"] ?? "127.0.0.1",
            port: try port ?? environment["PORT"].map(Self.parsePort) ?? 8080,
            databaseURL: try options.resolvedDatabaseURL(),
            migrateOnStart: migrate,
            authorizer: try authorizer.settings(),
            webhooks: try webhooks.authentication()
        )
        configuration.metrics = MetricsBootstrap.registry
        try applyProtection(to: &configuration, environment: environment)
        let logger = try options.makeLogger(label: "platform.gateway")
        try await Self.runGateway(configuration, logger: logger)
    }

    func applyProtection(to configuration: inout GatewayConfiguration, environment: [String: String]) throws {
        if let seconds = shutdownTimeout ?? environment["SHUTDOWN_TIMEOUT"].flatMap(Int.init) {
            guard seconds >= 1 else { throw ValidationError("--shutdown-timeout must be at least 1 second") }
            configuration.shutdownTimeout = .seconds(seconds)
        }
        let origins =
            corsAllowedOrigin.isEmpty
            ? (environment["CORS_ALLOWED_ORIGINS"] ?? "").split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            : corsAllowedOrigin
        for origin in origins where !origin.isEmpty {
            guard let url = URL(string: origin), url.scheme != nil, url.host != nil, url.path.isEmpty, origin != "*"
            else {
                throw ValidationError(
                    "--cors-allowed-origin: '\(origin)' is not an origin like https://app.example.com")
            }
            configuration.allowedOrigins.insert(origin)
        }
        if let perIP = authRateLimitPerIp ?? environment["AUTH_RATE_LIMIT_PER_IP"].flatMap(Int.init) {
            guard perIP >= 0 else { throw ValidationError("--auth-rate-limit-per-ip must be 0 (off) or more") }
            configuration.authRateLimits.perIP = perIP
        }
        if let perEmail = authRateLimitPerEmail ?? environment["AUTH_RATE_LIMIT_PER_EMAIL"].flatMap(Int.init) {
            guard perEmail >= 0 else { throw ValidationError("--auth-rate-limit-per-email must be 0 (off) or more") }
            configuration.authRateLimits.perEmail = perEmail
        }
        if let attempts = authFailedLoginsPerAddress ?? environment["AUTH_FAILED_LOGINS_PER_ADDRESS"].flatMap(Int.init)
        {
            guard (0...4).contains(attempts) else {
                throw ValidationError(
                    "--auth-failed-logins-per-address must be 0 (off) to 4, below Authorizer's lockout of 5")
            }
            configuration.authRateLimits.failedLoginsPerAddress = attempts
        }
        if let text = pageCacheMb.map({ String($0) }) ?? environment["PAGE_CACHE_MB"] {
            guard let megabytes = Int(text), (0...4096).contains(megabytes) else {
                throw ValidationError("--page-cache-mb / PAGE_CACHE_MB: '\(text)' is not 0 (off) to 4096")
            }
            configuration.pageCacheBytes = megabytes * 1024 * 1024
        }
    }

    static func runGateway(_ configuration: GatewayConfiguration, logger: Logger) async throws {
        logger.info("starting gateway", metadata: ["database": "\(configuration.databaseURL)"])
        let database = try await PlatformDatabase.open(configuration.databaseURL, logger: logger, openConnections: 20)
        let app = try await buildApplication(configuration: configuration, database: database, logger: logger)
        try await runGracefully([app], timeout: configuration.shutdownTimeout, logger: logger)
    }

    /// Runs services until SIGTERM or SIGINT, then shuts them down in reverse order (the HTTP
    /// server stops accepting and finishes in-flight requests first), within `timeout`.
    static func runGracefully(_ services: [any Service], timeout: Duration, logger: Logger) async throws {
        var configuration = ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = timeout
        try await ServiceGroup(configuration: configuration).run()
        logger.info("stopped")
    }

    static func parsePort(_ text: String) throws -> Int {
        guard let port = Int(text), (0...65535).contains(port) else {
            throw ValidationError("PORT: '\(text)' is not a port number")
        }
        return port
    }
}

/// How `platform serve` reaches Authorizer. Flags win over environment variables.
struct AuthorizerOptions: ParsableArguments {
    @Option(
        name: .customLong("authorizer-url"),
        help: "Authorizer's base URL. Env: AUTHORIZER_URL. Without it the gateway serves health routes only.")
    var url: String?
    @Option(
        name: .customLong("authorizer-client-id"),
        help: "Authorizer's client id (the tokens' aud). Env: AUTHORIZER_CLIENT_ID")
    var clientID: String?
    @Option(
        name: .customLong("authorizer-admin-secret"),
        help: "Authorizer's admin secret, for provisioning lookups. Env: AUTHORIZER_ADMIN_SECRET")
    var adminSecret: String?
    @Option(
        name: .customLong("authorizer-jwt-secret"),
        help: "Authorizer's HS256 secret; without it the JWKS is used. Env: AUTHORIZER_JWT_SECRET")
    var jwtSecret: String?
    @Option(
        name: .customLong("authorizer-issuer"),
        help:
            "The tokens' iss. Default: the issuer of Authorizer's discovery document, else the scheme and host of --authorizer-url. Env: AUTHORIZER_ISSUER"
    )
    var issuer: String?
    @Option(
        name: .customLong("authorizer-version"),
        help:
            "1, 2 (2.4 and later) or 2.0 to 2.3; detected with meta, else the schema, when absent. Env: AUTHORIZER_VERSION"
    )
    var version: String?
    @Option(name: .customLong("guard-mode"), help: "remote, local or hybrid. Env: GUARD_MODE. Default: hybrid")
    var guardMode: String?
    @Option(
        name: .customLong("session-check-interval"),
        help:
            "Hybrid mode: seconds a session is trusted after a remote check (one in use is checked again in the background after 50-75% of it). Env: SESSION_CHECK_INTERVAL. Default: 30"
    )
    var sessionCheckInterval: Int?
    @Option(
        name: .customLong("super-admin"),
        help:
            "Email or Authorizer id of a platform operator (SUPER_ADMIN); repeatable. Env: SUPER_ADMINS (comma-separated)"
    )
    var superAdmins: [String] = []
    @Option(
        name: .customLong("role-mapping"),
        help:
            "authorizerRole=USER|ADMIN: the platform role a new user gets for an Authorizer role; repeatable. Env: ROLE_MAPPING (comma-separated)"
    )
    var roleMappings: [String] = []
    @Option(
        name: .customLong("reconcile-interval"),
        help:
            "Minutes between scheduled reconciles with Authorizer (needs the admin secret); 0 turns it off. Env: RECONCILE_INTERVAL. Default: 15"
    )
    var reconcileInterval: Int?

    func settings() throws -> AuthorizerSettings? {
        let environment = ProcessInfo.processInfo.environment
        guard let url = url ?? environment["AUTHORIZER_URL"] else { return nil }
        guard URL(string: url)?.host != nil else { throw ValidationError("--authorizer-url: '\(url)' is not a URL") }
        guard let clientID = clientID ?? environment["AUTHORIZER_CLIENT_ID"], !clientID.isEmpty else {
            throw ValidationError("--authorizer-client-id (or AUTHORIZER_CLIENT_ID) is required with --authorizer-url")
        }
        var settings = AuthorizerSettings(
            url: url, clientID: clientID,
            adminSecret: try secretSetting(
                adminSecret, flag: "--authorizer-admin-secret", environment: "AUTHORIZER_ADMIN_SECRET"))
        settings.jwtSecret = try secretSetting(
            jwtSecret, flag: "--authorizer-jwt-secret", environment: "AUTHORIZER_JWT_SECRET", minimumBytes: 1,
            warnBelow: SecretSetting.jwtRecommendedBytes)
        settings.issuer = issuer ?? environment["AUTHORIZER_ISSUER"]
        if let text = version ?? environment["AUTHORIZER_VERSION"] {
            guard let parsed = AuthorizerVersion(setting: text) else {
                throw ValidationError("--authorizer-version: '\(text)' is not 1, 2 (2.4 and later) or 2.0 to 2.3")
            }
            settings.version = parsed
        }
        let modeText = guardMode ?? environment["GUARD_MODE"] ?? "hybrid"
        guard let mode = GuardMode(rawValue: modeText) else {
            throw ValidationError("--guard-mode: '\(modeText)' is not one of remote, local, hybrid")
        }
        settings.guardMode = mode
        let operators =
            superAdmins.isEmpty
            ? (environment["SUPER_ADMINS"] ?? "").split(separator: ",").map(String.init) : superAdmins
        var byRole: [String: Role] = [:]
        let mappings =
            roleMappings.isEmpty
            ? (environment["ROLE_MAPPING"] ?? "").split(separator: ",").map(String.init) : roleMappings
        for mapping in mappings where !mapping.isEmpty {
            let parts = mapping.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let role = Role(rawValue: parts[1].uppercased()), role != .superAdmin else {
                throw ValidationError(
                    "--role-mapping: '\(mapping)' is not authorizerRole=USER|ADMIN (SUPER_ADMIN only through --super-admin)"
                )
            }
            byRole[parts[0]] = role
        }
        settings.roles = RoleMapping(
            byAuthorizerRole: byRole, superAdmins: Set(operators.map(RoleMapping.normalised).filter { !$0.isEmpty }))
        if let minutes = reconcileInterval ?? environment["RECONCILE_INTERVAL"].flatMap(Int.init) {
            // Bounded before it is multiplied: `minutes * 60` traps on overflow.
            guard (0...527_040).contains(minutes) else {
                throw ValidationError("--reconcile-interval must be 0 (off) to 527040 minutes (366 days)")
            }
            settings.reconcileInterval = minutes == 0 ? nil : .seconds(minutes * 60)
        }
        if let seconds = sessionCheckInterval ?? environment["SESSION_CHECK_INTERVAL"].flatMap(Int.init) {
            guard seconds >= 1 else { throw ValidationError("--session-check-interval must be at least 1 second") }
            settings.sessionCheckInterval = .seconds(seconds)
        }
        return settings
    }
}

/// How webhook senders authenticate to `platform serve`. Each scheme has its own secret.
struct WebhookOptions: ParsableArguments {
    @Option(
        name: .customLong("webhook-authorizer-secret"),
        help:
            "Verify X-Authorizer-Signature (Authorizer 2.4) with this secret: Authorizer's client secret. Env: WEBHOOK_AUTHORIZER_SECRET"
    )
    var authorizerSecret: String?
    @Option(
        name: .customLong("webhook-signature-secret"),
        help: "Verify x-webhook-signature (hex HMAC-SHA256 of the body) with this secret. Env: WEBHOOK_SIGNATURE_SECRET"
    )
    var signatureSecret: String?
    @Option(
        name: .customLong("webhook-standard-secret"),
        help:
            "A Standard Webhooks whsec_ secret (repeatable, for key rotation). Env: WEBHOOK_STANDARD_SECRETS (comma-separated)"
    )
    var standardSecrets: [String] = []
    @Option(
        name: .customLong("webhook-static-header"),
        help: "'Name: value' of a static header Authorizer 1.x sends. Env: WEBHOOK_STATIC_HEADER")
    var staticHeader: String?
    @Flag(
        name: .customLong("insecure-webhooks"), help: "Accept webhooks without any authentication (development only).")
    var insecure = false

    func authentication() throws -> WebhookAuthentication {
        let environment = ProcessInfo.processInfo.environment
        var authentication = WebhookAuthentication()
        authentication.authorizerSecret = try secretSetting(
            authorizerSecret, flag: "--webhook-authorizer-secret", environment: "WEBHOOK_AUTHORIZER_SECRET")
        authentication.signatureSecret = try secretSetting(
            signatureSecret, flag: "--webhook-signature-secret", environment: "WEBHOOK_SIGNATURE_SECRET")
        // Each secret of the list is checked, an empty one (",,") included.
        let (standard, standardKey) =
            standardSecrets.isEmpty
            ? (
                (environment["WEBHOOK_STANDARD_SECRETS"]?.split(separator: ",", omittingEmptySubsequences: false).map(
                    String.init)) ?? [],
                "WEBHOOK_STANDARD_SECRETS"
            )
            : (standardSecrets, "--webhook-standard-secret")
        for secret in standard { try validated { try SecretSetting.checkStandard(secret, key: standardKey) } }
        authentication.standardWebhookSecrets = standard
        let headerKey = staticHeader == nil ? "WEBHOOK_STATIC_HEADER" : "--webhook-static-header"
        if let header = staticHeader ?? environment["WEBHOOK_STATIC_HEADER"] {
            let parts = header.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, HTTPField.Name(parts[0]) != nil else {
                throw ValidationError("\(headerKey): expected 'Name: value'")
            }
            try validated { try SecretSetting.check(parts[1], key: "\(headerKey) (its value)") }
            authentication.staticHeader = (parts[0], parts[1])
        }
        authentication.insecure = insecure
        return authentication
    }
}
