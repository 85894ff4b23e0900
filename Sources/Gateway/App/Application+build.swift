import AuthorizerClient
import Hummingbird
import Logging
import PlatformDB
import Prometheus
import ServiceLifecycle

/// Builds the gateway: the one builder that `platform serve`, `platform dev` and the tests call.
/// Its parts are made once (``buildServices(configuration:database:logger:)``), then routed
/// (``buildRouter(_:)``). Throws ``GatewayConfigurationError`` for a setting that keeps it from starting.
public func buildApplication(
    configuration: GatewayConfiguration,
    database: PlatformDatabase,
    logger: Logger,
    catalog: RouteCatalog? = nil
) async throws -> some ApplicationProtocol {
    let services = try await buildServices(configuration: configuration, database: database, logger: logger)
    let router = try buildRouter(services)
    catalog?.record(router.routes.map { ($0.method.rawValue, $0.path.description) })
    var app = Application(
        router: router,
        // Headers up to 128 KiB reach the guard, so an oversized token is a 401 problem, not a bare 400.
        server: .http1(
            configuration: .init(
                idleTimeout: .seconds(60),
                httpDecoderConfiguration: .init(maxHeaderFieldSize: 128 * 1024, maxHeaderListSize: 160 * 1024))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
        services: services.background,
        logger: logger
    )
    if configuration.migrateOnStart {
        // Migrations finish before the server accepts its first request.
        app.beforeServerStarts {
            do {
                let applied = try await services.migrator.migrate(database)
                logger.info("database migrated", metadata: ["applied": "\(applied.count)"])
            } catch PlatformDBError.schemaNewer(let unknown) {
                // A rolling deploy: the new version migrated first, and every migration stays
                // compatible with the previous binary for one version (docs/deployment.md).
                logger.warning(
                    "the database has migrations this binary does not know; serving during the upgrade",
                    metadata: ["unknown": "\(unknown.joined(separator: ", "))"])
            }
        }
    }
    app.beforeServerStarts {
        // A key that differs from the database's would admit no tenant's rows, and a restricted
        // role without one could claim any tenant: both refused at start.
        if let refusal = try await TenantKey.refusal(database) { throw GatewayConfigurationError(refusal) }
    }
    if let operators = configuration.authorizer?.roles.superAdmins, !operators.isEmpty {
        // Refused at start rather than at each operator's sign-in (``ReserveOperatorsToTheOwner``).
        let identities = operators.map(RoleMapping.normalised).filter { !$0.isEmpty }.sorted()
        app.beforeServerStarts {
            let missing = try await OperatorList(database).missing(identities)
            guard missing.isEmpty else {
                throw GatewayConfigurationError(
                    "--super-admin: \(missing.joined(separator: ", ")) may not be made operators by this database role: the schema owner lists each by Authorizer id first (platform migrate --super-admin <id>, docs/operations.md)"
                )
            }
        }
    }
    return app
}

/// A second server with `/metrics` only, for `serve --metrics-port`: the metrics stay off the
/// public address.
public func buildMetricsApplication(
    registry: PrometheusCollectorRegistry, host: String, port: Int, logger: Logger
) -> some ApplicationProtocol {
    let router = Router()
    router.get("/metrics") { _, _ in MetricsController.exposition(registry) }
    return Application(router: router, configuration: .init(address: .hostname(host, port: port)), logger: logger)
}

/// The gateway's routes: the middleware chain, then each controller's routes in the group a
/// request must reach them through (``RouteGroups``).
func buildRouter(_ services: GatewayServices) throws -> Router<GatewayRequestContext> {
    let router = Router(context: GatewayRequestContext.self)
    // Outermost first: the request id and log line, the metrics (which see every answer as a
    // response, errors included), the security headers and CORS, then errors into problems.
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: HTTPPolicyMiddleware(allowedOrigins: services.configuration.allowedOrigins))
    router.add(middleware: ProblemMiddleware())
    let routes = RouteGroups(router: router, auth: services.auth)
    let stores = services.stores
    var controllers: [any RouteAdding] = [
        OpenAPIController(), MetricsController(registry: services.configuration.metrics),
        try WebAppController.bundled(),
        HealthController(services),
    ]
    if let worker = services.worker {
        controllers.append(
            WebhookController(
                authentication: services.configuration.webhooks, inbox: stores.inbox, worker: worker,
                audit: stores.audit,
                logger: services.logger))
    }
    if let auth = services.auth {
        controllers += [
            AuthController(auth: auth, stores: stores),
            AdminController(stores: stores, worker: services.worker, auth: auth),
            WorkflowController(store: stores.workflows, crossTenant: stores.crossTenant, pages: services.pages),
            ReportController(store: stores.reports, crossTenant: stores.crossTenant),
            TenantController(
                tenants: stores.tenants, members: stores.members, loader: auth.loader, crossTenant: stores.crossTenant),
            InvitationController(store: stores.invitations, loader: auth.loader, crossTenant: stores.crossTenant),
        ]
    }
    if let read = services.configuration.devOutbox { controllers.append(DevOutboxController(read: read)) }
    for controller in controllers { controller.addRoutes(to: routes) }
    return router
}

/// A controller: it adds its routes to the groups they belong in.
protocol RouteAdding {
    func addRoutes(to routes: RouteGroups)
}
