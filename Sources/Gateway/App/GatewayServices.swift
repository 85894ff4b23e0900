import Logging
import PlatformDB
import ServiceLifecycle

/// The long-lived parts of one gateway, made once by ``buildServices(configuration:database:logger:)``
/// and read by ``buildRouter(_:)``.
struct GatewayServices: Sendable {
    let configuration: GatewayConfiguration
    let stores: Stores
    /// nil when no Authorizer is configured: the gateway then serves health routes only.
    let auth: AuthServices?
    /// The inbox's worker; nil when no webhook scheme is configured.
    let worker: WebhookWorker?
    /// Workflow list pages per tenant (PostgreSQL only: it serves while `LISTEN` says what changed).
    let pages: TenantPageCache
    let migrator: Migrator
    let logger: Logger
    /// What runs beside the HTTP server: the database, the inbox's worker, the change listeners,
    /// the scheduled reconcile.
    let background: [any Service]
}

/// Makes every long-lived part of the gateway once: the stores, Authorizer's client and guard,
/// the caches and the workers. Throws ``GatewayConfigurationError`` for a setting that keeps the
/// gateway from starting.
func buildServices(
    configuration: GatewayConfiguration, database: PlatformDatabase, logger: Logger
) async throws -> GatewayServices {
    try configuration.checkSecrets()
    if configuration.authorizer != nil, !configuration.webhooks.isConfigured {
        throw GatewayConfigurationError(
            "no webhook authentication is configured: set --webhook-authorizer-secret (Authorizer's client secret) or another scheme, or --insecure-webhooks explicitly"
        )
    }
    let stores = Stores(database)
    // The caches are kept true by PostgreSQL's notifications; with none to hear, they are off.
    let listens = database.canListen
    if database.dialect == .postgres, !listens {
        logger.warning(
            "no LISTEN: the database is reached through a transaction-mode pooler and no --database-listen-url is set, so the workflow page cache and the user-context cache are off"
        )
    }
    var auth: AuthServices?
    if var settings = configuration.authorizer {
        if database.dialect == .postgres, !listens { settings.userCacheTTL = .zero }
        auth = try await AuthServices.make(
            settings: settings, limits: configuration.authRateLimits, stores: stores, logger: logger)
    }
    var background: [any Service] = [database]
    if database.dialect == .postgres { background.append(PoolMetrics(database: database)) }
    if let loader = auth?.loader, listens {
        // Every instance drops a user, or a tenant's members, changed anywhere.
        background.append(
            ChangeListener(database: database, channel: Migrator.userChangeChannel) {
                loader.invalidate(authorizerID: $0)
            })
        background.append(
            ChangeListener(database: database, channel: Migrator.tenantChangeChannel) {
                loader.invalidate(tenantID: $0)
            })
    }
    // The cache serves only while PostgreSQL announces every change; SQLite never does.
    let pages = TenantPageCache(budget: listens && auth != nil ? configuration.pageCacheBytes : 0)
    if pages.budget > 0 {
        background.append(
            ChangeListener(
                database: database, channel: Migrator.workflowChangeChannel, subscribed: { pages.setSubscribed($0) }
            ) {
                pages.invalidate(tenantID: $0 == "*" ? nil : $0)
            })
    }
    let worker = configuration.webhooks.isConfigured ? makeWorker(configuration, stores, auth, logger) : nil
    if let worker { background.append(worker) }
    if let reconciler = auth?.reconciler, let interval = configuration.authorizer?.reconcileInterval {
        background.append(
            ReconcileService(reconciler: reconciler, database: database, interval: interval, logger: logger))
    }
    return GatewayServices(
        configuration: configuration, stores: stores, auth: auth, worker: worker, pages: pages,
        migrator: Migrator(logger: logger), logger: logger, background: background)
}

/// The inbox's worker, with the user sync it applies events with.
private func makeWorker(
    _ configuration: GatewayConfiguration, _ stores: Stores, _ auth: AuthServices?, _ logger: Logger
) -> WebhookWorker {
    let roles = configuration.authorizer?.roles ?? RoleMapping()
    var ownership = auth?.ownership ?? EmailOwnership(client: nil, users: stores.users, loader: nil, logger: logger)
    // A webhook may come late or be replayed: its claim to an email is not taken on trust.
    ownership.claimsAreFresh = false
    // SQLite has one connection: a second worker would only wait for it.
    let concurrency = stores.database.dialect == .postgres ? 4 : 1
    return WebhookWorker(
        inbox: stores.inbox, store: UserSyncStore(stores.database, roleForNewUser: roles.roleForWebhookUser),
        ownership: ownership,
        revocations: auth?.revocations, loader: auth?.loader, concurrency: concurrency,
        bodyRetention: configuration.webhookBodyRetention, logger: logger)
}
