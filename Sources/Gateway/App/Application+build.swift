import AuthorizerClient
import Hummingbird
import Logging
import NIOFoundationCompat
import PlatformDB
import ServiceLifecycle

/// Builds the gateway: the one builder that `platform serve`, `platform dev` and the tests call.
public func buildApplication(
    configuration: GatewayConfiguration,
    database: PlatformDatabase,
    logger: Logger,
    catalog: RouteCatalog? = nil
) async throws -> some ApplicationProtocol {
    try configuration.checkSecrets()
    let migrator = Migrator(logger: logger)
    let router = Router(context: GatewayRequestContext.self)
    // Outermost first: the request id and log line, the metrics (which see every answer as a
    // response, errors included), the security headers and CORS, then errors into problems.
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: HTTPPolicyMiddleware(allowedOrigins: configuration.allowedOrigins))
    router.add(middleware: ProblemMiddleware())
    if let registry = configuration.metrics {
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }
    let openAPI = ByteBuffer(data: OpenAPIDocument.render())
    router.get("/openapi.json") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: openAPI))
    }
    try WebAppController.bundled().addRoutes(to: router)
    var services: [any Service] = [database]
    var auth: AuthParts?
    if let settings = configuration.authorizer {
        guard configuration.webhooks.isConfigured else {
            throw GatewayConfigurationError(
                "no webhook authentication is configured: set --webhook-authorizer-secret (Authorizer's client secret) or another scheme, or --insecure-webhooks explicitly")
        }
        auth = try await addAuthRoutes(
            to: router, settings: settings, throttle: AuthThrottle(configuration.authRateLimits), database: database, logger: logger)
        if let loader = auth?.loader, database.dialect == .postgres {
            // Every instance drops a user changed anywhere.
            services.append(ChangeListener(database: database, channel: Migrator.userChangeChannel) { loader.invalidate(authorizerID: $0) })
            // And every member of a tenant changed anywhere.
            services.append(ChangeListener(database: database, channel: Migrator.clientChangeChannel) { loader.invalidate(clientID: $0) })
        }
    }
    var worker: WebhookWorker?
    let inbox = WebhookInbox(database)
    if configuration.webhooks.isConfigured {
        let inboxWorker = WebhookWorker(
            inbox: inbox,
            sync: UserSyncService(
                revocations: auth?.revocations, loader: auth?.loader, roles: configuration.authorizer?.roles ?? RoleMapping(),
                logger: logger, ownership: auth?.ownership ?? EmailOwnership(client: nil, loader: nil, logger: logger)),
            // SQLite has one connection: a second worker would only wait for it.
            concurrency: database.dialect == .postgres ? 4 : 1,
            logger: logger)
        WebhookController(
            authentication: configuration.webhooks, inbox: inbox, worker: inboxWorker, audit: AuditLog(database), logger: logger)
            .addRoutes(to: router)
        services.append(inboxWorker)
        worker = inboxWorker
    }
    HealthController(
        database: database, migrator: migrator, authorizer: auth?.client,
        jwks: configuration.authorizer?.guardMode == .remote ? nil : auth?.jwks,
        inbox: worker == nil ? nil : inbox, worker: worker,
        inboxStallAfter: Double(configuration.webhookStallAfter.components.seconds)).addRoutes(to: router)
    if let auth, let settings = configuration.authorizer {
        let reconciler = settings.adminSecret.map { _ in
            Reconciler(client: auth.client, database: database, roles: settings.roles, logger: logger)
        }
        AdminController(
            inbox: inbox, worker: worker, reconciler: reconciler, clients: ClientStore(database),
            users: UserStore(database), audit: AuditLog(database), loader: auth.loader)
            .addRoutes(to: router, signedIn: auth.signedIn)
        // Tenant routes: a signed-in member of a tenant, or the route does not run.
        let signedIn = router.group().add(middleware: auth.signedIn).group(context: AuthenticatedContext.self)
        let tenant = signedIn.group(context: TenantContext.self)
        let crossTenant = CrossTenantAudit(database)
        // The cache serves only while PostgreSQL announces every change; SQLite never does.
        let pages = TenantPageCache(budget: database.dialect == .postgres ? configuration.pageCacheBytes : 0)
        if pages.budget > 0 {
            services.append(
                ChangeListener(database: database, channel: Migrator.workflowChangeChannel, subscribed: { pages.setSubscribed($0) }) {
                    pages.invalidate(clientID: $0 == "*" ? nil : $0)
                })
        }
        WorkflowController(store: WorkflowStore(database), crossTenant: crossTenant, pages: pages).addRoutes(to: tenant)
        ReportController(store: ReportStore(database), crossTenant: crossTenant).addRoutes(to: tenant)
        TenantController(
            clients: ClientStore(database), members: TenantUserStore(database), loader: auth.loader, crossTenant: crossTenant
        ).addRoutes(signedIn: signedIn, tenant: tenant)
        InvitationController(store: InvitationStore(database), loader: auth.loader, crossTenant: crossTenant)
            .addRoutes(signedIn: signedIn, tenant: tenant)
        if let reconciler, let interval = settings.reconcileInterval {
            services.append(ReconcileService(reconciler: reconciler, database: database, interval: interval, logger: logger))
        }
    }

    catalog?.record(router.routes.map { ($0.method.rawValue, $0.path.description) })
    var app = Application(
        router: router,
        // Headers up to 128 KiB reach the guard, so an oversized token is a 401 problem, not a bare 400.
        server: .http1(
            configuration: .init(
                idleTimeout: .seconds(60),
                httpDecoderConfiguration: .init(maxHeaderFieldSize: 128 * 1024, maxHeaderListSize: 160 * 1024))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
        services: services,
        logger: logger
    )
    if configuration.migrateOnStart {
        // Migrations finish before the server accepts its first request.
        app.beforeServerStarts {
            let applied = try await migrator.migrate(database)
            logger.info("database migrated", metadata: ["applied": "\(applied.count)"])
        }
    }
    return app
}

/// What the auth routes made that other parts of the gateway use too.
private struct AuthParts {
    var client: AuthorizerClient
    var revocations: RevocationList
    var loader: UserContextLoader
    var signedIn: AuthenticationMiddleware
    var jwks: JWKSCache?
    var ownership: EmailOwnership
}

private func addAuthRoutes(
    to router: Router<GatewayRequestContext>, settings: AuthorizerSettings, throttle: AuthThrottle, database: PlatformDatabase,
    logger: Logger
) async throws -> AuthParts {
    var clientConfiguration = AuthorizerClient.Configuration(
        url: settings.url, clientID: settings.clientID, adminSecret: settings.adminSecret)
    // Under 3 s, so that a login or signup against a hung Authorizer is a 503 within 3 s.
    clientConfiguration.timeout = .milliseconds(2500)
    let client: AuthorizerClient
    if let version = settings.version {
        client = AuthorizerClient(configuration: clientConfiguration, version: version, logger: logger)
    } else {
        do {
            client = try await AuthorizerClient.connect(configuration: clientConfiguration, logger: logger)
        } catch {
            // An Authorizer outage must not keep the gateway down; 2.x is the target.
            logger.warning("cannot detect Authorizer's version; assuming 2.x", metadata: ["error": "\(error)"])
            client = AuthorizerClient(configuration: clientConfiguration, version: .v2, logger: logger)
        }
    }
    logger.info("Authorizer", metadata: ["url": "\(settings.url)", "version": "\(client.version)", "guard": "\(settings.guardMode)"])
    // Operator rights by email are only as strong as Authorizer's email verification.
    if settings.roles.namesOperatorsByEmail, let meta = try? await client.meta(), !meta.isEmailVerificationEnabled {
        logger.warning(
            "operators are named by email while Authorizer verifies no email address: whoever signs up first with an operator's address becomes SUPER_ADMIN; name operators by Authorizer id, or turn on Authorizer's email verification")
    }

    if let secret = settings.jwtSecret, secret.utf8.count < SecretSetting.jwtRecommendedBytes {
        logger.warning("\(SecretSetting.shortJWTSecretWarning(key: "--authorizer-jwt-secret"))")
    }
    let jwks = settings.jwtSecret == nil ? JWKSCache(authorizerURL: settings.url, logger: logger) : nil
    let keys: TokenVerifier.Keys = jwks.map { .jwks($0) } ?? .hmac(secret: settings.jwtSecret ?? "")
    // The tokens' issuer: as configured, else what Authorizer's discovery document says (a gateway
    // may reach Authorizer by an internal address), else the scheme and host of its URL, which is
    // what 2.4 derives from its own --url (internal/parsers/url.go).
    var issuer = settings.issuer
    if issuer == nil, let discovered = await client.discoveredIssuer() {
        issuer = discovered
        if discovered != AuthorizerClient.origin(of: settings.url) {
            logger.notice("the tokens' issuer, read from Authorizer's discovery document", metadata: ["issuer": "\(discovered)"])
        }
    }
    let verifier = await TokenVerifier(
        keys: keys, issuer: issuer ?? AuthorizerClient.origin(of: settings.url), audience: settings.clientID)
    let revocations = RevocationList()
    // Hybrid's periodic session check is best effort (a failure to reach Authorizer lets the
    // request through): one attempt of at most 1 s, so a hung Authorizer delays a read by 1 s at most.
    var sessionConfiguration = clientConfiguration
    sessionConfiguration.attempts = 1
    sessionConfiguration.timeout = .seconds(1)
    let sessionClient = AuthorizerClient(configuration: sessionConfiguration, version: client.version, logger: logger)
    let authGuard = AuthGuard(
        mode: settings.guardMode, verifier: verifier, client: client, revocations: revocations,
        sessions: SessionChecker(client: sessionClient, interval: settings.sessionCheckInterval), logger: logger)
    let users = UserStore(database)
    // Whose an email is, Authorizer says with the admin secret; without it a stale holder is released.
    let adminClient = settings.adminSecret == nil ? nil : client
    let loader = UserContextLoader(
        users: users, clients: ClientStore(database), client: client, ttl: settings.userCacheTTL, roles: settings.roles,
        logger: logger, ownership: EmailOwnership(client: adminClient, loader: nil, logger: logger))
    let ownership = EmailOwnership(client: adminClient, loader: loader, logger: logger)
    AuthController(
        client: client, users: users, clients: ClientStore(database), invitations: InvitationStore(database),
        authGuard: authGuard, loader: loader, revocations: revocations, roles: settings.roles, throttle: throttle,
        ownership: ownership
    ).addRoutes(
        to: router, signedIn: AuthenticationMiddleware(authGuard: authGuard, loader: loader, allowPendingVerification: true))
    let signedIn = AuthenticationMiddleware(authGuard: authGuard, loader: loader, allowPendingVerification: false)
    return AuthParts(client: client, revocations: revocations, loader: loader, signedIn: signedIn, jwks: jwks, ownership: ownership)
}

import Synchronization
