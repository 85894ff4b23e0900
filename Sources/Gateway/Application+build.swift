import Hummingbird
import Logging
import PlatformDB

/// Builds the gateway: the one builder that `platform serve` and the tests both call.
public func buildApplication(
    configuration: GatewayConfiguration,
    database: PlatformDatabase,
    logger: Logger
) -> some ApplicationProtocol {
    let migrator = Migrator(logger: logger)
    let router = Router()
    HealthController(database: database, migrator: migrator).addRoutes(to: router)

    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
        services: [database],
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
