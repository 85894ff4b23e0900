import ArgumentParser
import Foundation
import Gateway
import Hummingbird
import PlatformDB

/// `platform serve`: the gateway over a configured database.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the gateway (migrates the database first unless --no-migrate)."
    )

    @OptionGroup var options: CommonOptions

    @Option(help: "Address to listen on. Env: HOST. Default: 127.0.0.1")
    var host: String?

    @Option(help: "Port to listen on. Env: PORT. Default: 8080")
    var port: Int?

    @Flag(inversion: .prefixedNo, help: "Apply pending migrations before accepting traffic.")
    var migrate = true

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let configuration = GatewayConfiguration(
            host: host ?? environment["HOST"] ?? "127.0.0.1",
            port: try port ?? environment["PORT"].map(Self.parsePort) ?? 8080,
            databaseURL: try options.resolvedDatabaseURL(),
            migrateOnStart: migrate
        )
        let logger = try options.makeLogger(label: "platform.gateway")
        try await Self.runGateway(configuration, logger: logger)
    }

    static func runGateway(_ configuration: GatewayConfiguration, logger: Logger) async throws {
        logger.info("starting gateway", metadata: ["database": "\(configuration.databaseURL)"])
        let database = try await PlatformDatabase.open(configuration.databaseURL, logger: logger)
        let app = try await buildApplication(configuration: configuration, database: database, logger: logger)
        try await app.runService()
    }

    static func parsePort(_ text: String) throws -> Int {
        guard let port = Int(text), (0...65535).contains(port) else {
            throw ValidationError("PORT: '\(text)' is not a port number")
        }
        return port
    }
}

import Logging
