import AuthorizerClient
import Foundation
import PlatformDB
import Prometheus

/// Everything `platform serve` needs, read once at start.
public struct GatewayConfiguration: Sendable {
    /// Address to listen on.
    public var host: String
    /// Port to listen on (0 picks a free one).
    public var port: Int
    /// The platform database.
    public var databaseURL: DatabaseURL
    /// Whether to apply pending migrations before accepting traffic.
    public var migrateOnStart: Bool
    /// How to reach Authorizer; nil runs the gateway without its auth routes (health only).
    public var authorizer: AuthorizerSettings?
    /// How webhook senders authenticate; the gateway refuses to start with Authorizer configured
    /// and no scheme, unless `insecure` is set explicitly.
    public var webhooks: WebhookAuthentication
    /// Where `/metrics` reads from; the executable bootstraps swift-metrics with it. Nil: no `/metrics`.
    public var metrics: PrometheusCollectorRegistry?
    /// Browser origins allowed to call the API (CORS); none by default.
    public var allowedOrigins: Set<String> = []
    /// Per-IP and per-email limits on login, signup and forgot-password.
    public var authRateLimits = AuthRateLimits()
    /// How long a graceful shutdown (SIGTERM) may take before the process exits anyway, the drain included.
    public var shutdownTimeout: Duration = .seconds(30)
    /// How long `/readyz` answers 503 after SIGTERM before the server stops accepting (``DrainService``).
    public var drainPeriod: Duration = .zero
    /// Set when the drain begins; `/readyz` reads it.
    public var draining = Draining()
    /// Bytes of workflow list pages kept until their tenant's workflows change (PostgreSQL only,
    /// see ``TenantPageCache``); 0 turns the cache off.
    public var pageCacheBytes = 16 * 1024 * 1024
    /// How long a webhook event may be due and not applied before `/readyz` reports the inbox as
    /// stalled (every instance's worker looks each second; an event waiting out a retry's backoff
    /// is not due).
    public var webhookStallAfter: Duration = .seconds(60)
    /// How long an applied webhook event keeps its raw body (personal data); nil keeps it for ever.
    /// The row, its dedupe key and body hash stay.
    public var webhookBodyRetention: Duration? = .seconds(30 * 86_400)
    /// The key that proves each query's tenant to row-level security (``TenantProof``); set it
    /// process-wide with `TenantProof.use(key:)`. Checked against the database's at start.
    public var tenantKey: String?
    /// PostgreSQL connections this instance may open (`serve` keeps them all open).
    public var databasePoolSize = 20
    /// How PostgreSQL is reached: through a transaction-mode pooler, and where `LISTEN` goes.
    public var databaseTopology = PlatformDatabase.Topology()
    /// `platform dev` only: reads the local Authorizer's outbox for `GET /dev/outbox`; nil serves
    /// no such route.
    public var devOutbox: (@Sendable () async throws -> Data)?

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        databaseURL: DatabaseURL = .sqliteMemory,
        migrateOnStart: Bool = true,
        authorizer: AuthorizerSettings? = nil,
        webhooks: WebhookAuthentication = WebhookAuthentication()
    ) {
        self.webhooks = webhooks
        self.host = host
        self.port = port
        self.databaseURL = databaseURL
        self.migrateOnStart = migrateOnStart
        self.authorizer = authorizer
    }
}

extension GatewayConfiguration: CustomStringConvertible {
    /// Every setting, secrets redacted (the database URL's password, Authorizer's and the webhooks'
    /// secrets): `serve` logs this once at start.
    public var description: String {
        let retention = webhookBodyRetention.map { "\($0.components.seconds / 86_400) d" } ?? "for ever"
        return """
            host=\(host) port=\(port) database=\(databaseURL) pool=\(databasePoolSize) migrate=\(migrateOnStart) \
            pooler=\(databaseTopology.transactionPooling ? "transaction" : "none") \
            listen=\(databaseTopology.listenURL.map { "\($0)" } ?? "the pool") \
            reads=\(databaseTopology.readURL.map { "\($0)" } ?? "the primary") \
            authorizer=\(authorizer.map { "\($0)" } ?? "none") webhooks=\(webhooks) \
            cors=\(allowedOrigins.sorted()) rateLimits=\(authRateLimits) pageCacheBytes=\(pageCacheBytes) \
            shutdown=\(shutdownTimeout.components.seconds) s drain=\(drainPeriod.components.seconds) s \
            webhookBodyRetention=\(retention) metrics=\(metrics == nil ? "off" : "on") \
            tenantKey=\(tenantKey == nil ? "none" : "<redacted>")
            """
    }
}
