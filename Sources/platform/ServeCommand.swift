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
    var port: String?

    @Flag(inversion: .prefixedNo, help: "Apply pending migrations before accepting traffic.")
    var migrate = true

    @Option(
        help:
            "Seconds a graceful shutdown (SIGTERM, SIGINT) may take: in-flight requests finish, the webhook worker stops, the pools close; then the process exits anyway. Env: SHUTDOWN_TIMEOUT. Default: 30"
    )
    var shutdownTimeout: String?

    @Option(
        help:
            "Browser origin allowed to call the API (CORS); repeatable. Env: CORS_ALLOWED_ORIGINS (comma-separated). Default: none"
    )
    var corsAllowedOrigin: [String] = []

    @Option(
        help:
            "Attempts per minute per client IP on /auth/login, /auth/signup and /auth/forgot-password (each counted apart); 0 turns it off. Env: AUTH_RATE_LIMIT_PER_IP. Default: 30"
    )
    var authRateLimitPerIp: String?

    @Option(
        help:
            "Attempts per minute per email on the same routes; 0 turns it off. Env: AUTH_RATE_LIMIT_PER_EMAIL. Default: 10"
    )
    var authRateLimitPerEmail: String?

    @Option(
        help:
            "Sign-in attempts per email from one client address in 15 minutes, kept below Authorizer's lockout of 5; 0 turns it off (behind a balancer that hides client addresses, turn it off and limit at the balancer). Env: AUTH_FAILED_LOGINS_PER_ADDRESS. Default: 4"
    )
    var authFailedLoginsPerAddress: String?

    @Option(
        help:
            "Megabytes of workflow list pages kept until their tenant's workflows change (PostgreSQL only); 0 turns the cache off. Env: PAGE_CACHE_MB. Default: 16"
    )
    var pageCacheMb: String?

    @Option(
        help:
            "Seconds /readyz answers 503 after SIGTERM before the server stops accepting; keep it above the balancer's probe interval × failures to drop (docs/deployment.md). Part of --shutdown-timeout. Env: DRAIN_PERIOD. Default: 5"
    )
    var drainPeriod: String?

    @Option(
        help:
            "PostgreSQL connections this instance opens and keeps (the server's max_connections bounds instances × this). Env: DATABASE_POOL_SIZE. Default: 20"
    )
    var databasePoolSize: String?

    @Option(
        help:
            "What --database-url reaches: 'none' (PostgreSQL, or a pooler in session mode) or 'transaction' (a pooler in transaction mode, such as PgBouncer's pool_mode = transaction: no named prepared statements, and LISTEN only on --database-listen-url). Env: DATABASE_POOLER. Default: none"
    )
    var databasePooler: String?

    @Option(
        help:
            "A direct PostgreSQL URL for LISTEN, which keeps the page and user caches true; needed behind a transaction-mode pooler, where without it those caches are off. Env: DATABASE_LISTEN_URL. Default: LISTEN on --database-url (none with --database-pooler transaction)"
    )
    var databaseListenUrl: String?

    @Option(
        help:
            "A streaming replica's PostgreSQL URL: tenant lists and reads go there once it has replayed the primary's latest commit (waiting up to 100 ms), else to the primary, which also takes every write and the auth path. Env: DATABASE_READ_URL. Default: none (every read on --database-url)"
    )
    var databaseReadUrl: String?

    @Option(
        help:
            "Serve /metrics on this port (at --metrics-host) instead of the public one. Env: METRICS_PORT. Default: /metrics on the public port"
    )
    var metricsPort: String?

    @Option(help: "Address for --metrics-port. Env: METRICS_HOST. Default: 127.0.0.1")
    var metricsHost: String?

    @Option(
        help:
            "Days an applied webhook event keeps its raw body (personal data); the row and its dedupe key stay. 0 keeps bodies for ever. Env: WEBHOOK_RETENTION_DAYS. Default: 30"
    )
    var webhookRetentionDays: String?

    @Option(
        help:
            "PostgreSQL: the key that proves each query's tenant to row-level security (32 bytes or more), the one `platform migrate --tenant-key` stored; without it a role that can run SQL may set any tenant. Env: TENANT_KEY"
    )
    var tenantKey: String?

    @Flag(
        help:
            "Run with no Authorizer: health, metrics and the webhook inbox only (tests, a webhook-intake instance). Without it, an Authorizer URL is required."
    )
    var withoutAuthorizer = false

    @OptionGroup var authorizer: AuthorizerOptions

    @OptionGroup var webhooks: WebhookOptions

    /// This command's flags and its option groups', over the environment.
    var settings: SettingsReader {
        var flags = options.flags
        flags.merge(authorizer.flags) { $1 }
        flags.merge(webhooks.flags) { $1 }
        let own: [(Setting, String?)] = [
            (.host, host), (.port, port), (.shutdownTimeout, shutdownTimeout),
            (.authRateLimitPerIP, authRateLimitPerIp),
            (.authRateLimitPerEmail, authRateLimitPerEmail),
            (.authFailedLoginsPerAddress, authFailedLoginsPerAddress), (.pageCacheMB, pageCacheMb),
            (.drainPeriod, drainPeriod), (.databasePoolSize, databasePoolSize),
            (.databasePooler, databasePooler), (.databaseListenURL, databaseListenUrl),
            (.databaseReadURL, databaseReadUrl),
            (.metricsPort, metricsPort),
            (.metricsHost, metricsHost), (.webhookRetentionDays, webhookRetentionDays), (.tenantKey, tenantKey),
        ]
        for (setting, value) in own { flags[setting] = value.map { [$0] } }
        flags[.corsAllowedOrigins] = corsAllowedOrigin
        return SettingsReader(flags: flags)
    }

    func run() async throws {
        let settings = self.settings
        var configuration = GatewayConfiguration(
            host: settings.text(.host) ?? "127.0.0.1",
            port: try settings.int(.port, in: 0...65535, meaning: "a port number (0 to 65535)") ?? 8080,
            databaseURL: try options.resolvedDatabaseURL(),
            migrateOnStart: migrate,
            authorizer: try authorizer.settings(from: settings),
            webhooks: try webhooks.authentication(from: settings)
        )
        configuration.metrics = MetricsBootstrap.registry
        try Self.applyProtection(to: &configuration, from: settings)
        // 5 s by default, kept below a shorter shutdown timeout that was asked for.
        configuration.drainPeriod = min(.seconds(5), configuration.shutdownTimeout / 2)
        try Self.applyOperations(to: &configuration, from: settings)
        configuration.tenantKey = try settings.secret(.tenantKey, minimumBytes: 32)
        TenantProof.use(key: configuration.tenantKey)
        if configuration.authorizer == nil, !withoutAuthorizer {
            throw ValidationError(
                "--authorizer-url (or AUTHORIZER_URL) is required: without Authorizer the gateway serves no API. For health and webhooks only, say --without-authorizer"
            )
        }
        if configuration.authorizer != nil, withoutAuthorizer {
            throw ValidationError(
                "--without-authorizer: given with \(settings.source(.authorizerURL)); remove one of them")
        }
        var metricsAddress: (host: String, port: Int)?
        if let port = try settings.int(.metricsPort, in: 1...65535, meaning: "a port number (1 to 65535)") {
            guard port != configuration.port else {
                throw settings.refusal(.metricsPort, "\(port)", "is the public port; give another one")
            }
            metricsAddress = (settings.text(.metricsHost) ?? "127.0.0.1", port)
        } else if settings.text(.metricsHost) != nil {
            throw ValidationError("\(settings.source(.metricsHost)): given without --metrics-port (METRICS_PORT)")
        }
        let logger = try options.makeLogger(label: "platform.gateway")
        try await Self.runGateway(configuration, metricsAddress: metricsAddress, logger: logger)
    }

    /// Drain, pool size and webhook retention, from `settings`.
    static func applyOperations(to configuration: inout GatewayConfiguration, from settings: SettingsReader) throws {
        if let seconds = try settings.int(.drainPeriod, in: 0...600, meaning: "0 to 600 seconds") {
            configuration.drainPeriod = .seconds(seconds)
        }
        guard configuration.drainPeriod < configuration.shutdownTimeout else {
            throw settings.refusal(
                .drainPeriod, "\(configuration.drainPeriod.components.seconds)",
                "is not below the shutdown timeout (\(configuration.shutdownTimeout.components.seconds) s), which includes it"
            )
        }
        if let size = try settings.int(.databasePoolSize, in: 1...1000, meaning: "1 to 1000 connections") {
            configuration.databasePoolSize = size
        }
        switch settings.text(.databasePooler)?.lowercased() {
        case nil, "none": break
        case "transaction": configuration.databaseTopology.transactionPooling = true
        case let other?: throw settings.refusal(.databasePooler, other, "is not none or transaction")
        }
        if case .postgres(let location) = configuration.databaseURL, location.transactionPooler {
            guard settings.text(.databasePooler)?.lowercased() != "none" else {
                throw settings.refusal(.databasePooler, "none", "contradicts ?pooler=transaction in --database-url")
            }
            configuration.databaseTopology.transactionPooling = true
        }
        if let text = settings.text(.databaseListenURL) {
            guard case .postgres = (try? DatabaseURL(text)) else {
                throw settings.refusal(.databaseListenURL, "<redacted>", "is not a PostgreSQL URL")
            }
            configuration.databaseTopology.listenURL = try DatabaseURL(text)
        }
        if let text = settings.text(.databaseReadURL) {
            guard case .postgres = (try? DatabaseURL(text)), case .postgres = configuration.databaseURL else {
                throw settings.refusal(
                    .databaseReadURL, "<redacted>", "is not a PostgreSQL URL beside a PostgreSQL --database-url")
            }
            configuration.databaseTopology.readURL = try DatabaseURL(text)
        }
        if let days = try settings.int(.webhookRetentionDays, in: 0...36_500, meaning: "0 (for ever) to 36500 days") {
            configuration.webhookBodyRetention = days == 0 ? nil : .seconds(days * 86_400)
        }
    }

    /// Shutdown, CORS, rate limits and the page cache, from `settings`.
    static func applyProtection(to configuration: inout GatewayConfiguration, from settings: SettingsReader) throws {
        if let seconds = try settings.int(.shutdownTimeout, in: 1...3600, meaning: "1 to 3600 seconds") {
            configuration.shutdownTimeout = .seconds(seconds)
        }
        for origin in settings.list(.corsAllowedOrigins).map({ $0.trimmingCharacters(in: .whitespaces) })
        where !origin.isEmpty {
            guard let url = URL(string: origin), url.scheme != nil, url.host != nil, url.path.isEmpty, origin != "*"
            else {
                throw settings.refusal(.corsAllowedOrigins, origin, "is not an origin like https://app.example.com")
            }
            configuration.allowedOrigins.insert(origin)
        }
        let perMinute = "0 (off) to 1000000 attempts a minute"
        if let perIP = try settings.int(.authRateLimitPerIP, in: 0...1_000_000, meaning: perMinute) {
            configuration.authRateLimits.perIP = perIP
        }
        if let perEmail = try settings.int(.authRateLimitPerEmail, in: 0...1_000_000, meaning: perMinute) {
            configuration.authRateLimits.perEmail = perEmail
        }
        if let attempts = try settings.int(
            .authFailedLoginsPerAddress, in: 0...4, meaning: "0 (off) to 4, below Authorizer's lockout of 5")
        {
            configuration.authRateLimits.failedLoginsPerAddress = attempts
        }
        if let megabytes = try settings.int(.pageCacheMB, in: 0...4096, meaning: "0 (off) to 4096") {
            configuration.pageCacheBytes = megabytes * 1024 * 1024
        }
    }

    static func runGateway(
        _ configuration: GatewayConfiguration, metricsAddress: (host: String, port: Int)? = nil, logger: Logger
    ) async throws {
        var configuration = configuration
        logger.info("effective configuration", metadata: ["configuration": "\(configuration)"])
        let database = try await PlatformDatabase.open(
            configuration.databaseURL, logger: logger, openConnections: configuration.databasePoolSize,
            maximumConnections: configuration.databasePoolSize, topology: configuration.databaseTopology)
        var services: [any Service] = []
        if let metricsAddress, let registry = configuration.metrics {
            configuration.metrics = nil
            services.append(
                buildMetricsApplication(
                    registry: registry, host: metricsAddress.host, port: metricsAddress.port, logger: logger))
        }
        let app = try await buildApplication(configuration: configuration, database: database, logger: logger)
        // Services stop in reverse order: the drain first, then the servers.
        services.insert(app, at: 0)
        services.append(
            DrainService(draining: configuration.draining, period: configuration.drainPeriod, logger: logger))
        try await runGracefully(services, timeout: configuration.shutdownTimeout, logger: logger)
    }

    /// Runs services until SIGTERM or SIGINT, then shuts them down in reverse order (the HTTP
    /// server stops accepting and finishes in-flight requests first), within `timeout`.
    static func runGracefully(_ services: [any Service], timeout: Duration, logger: Logger) async throws {
        var configuration = ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = timeout
        do {
            try await ServiceGroup(configuration: configuration).run()
        } catch let error as GatewayConfigurationError {
            // A setting refused once the database is open (the tenant key, the operators): a
            // usage error (exit 64), which a service manager does not restart.
            throw ValidationError(error.description)
        }
        logger.info("stopped")
    }
}
