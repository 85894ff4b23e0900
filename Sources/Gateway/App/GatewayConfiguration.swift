import AuthorizerClient
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
    /// How long a graceful shutdown (SIGTERM) may take before the process exits anyway.
    public var shutdownTimeout: Duration = .seconds(30)
    /// Bytes of workflow list pages kept until their tenant's workflows change (PostgreSQL only,
    /// see ``TenantPageCache``); 0 turns the cache off.
    public var pageCacheBytes = 16 * 1024 * 1024
    /// How long a webhook event may be due and not applied before `/readyz` reports the inbox as
    /// stalled (every instance's worker looks each second; an event waiting out a retry's backoff
    /// is not due).
    public var webhookStallAfter: Duration = .seconds(60)

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
