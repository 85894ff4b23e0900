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
