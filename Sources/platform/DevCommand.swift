import ArgumentParser
import Foundation
import Gateway
import PlatformDB

/// `platform dev`: everything on one machine with no setup, on the embedded SQLite database.
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Run the system locally with no setup: the gateway on SQLite under ./data/."
    )

    @Option(help: "Gateway port.")
    var port = 8080

    @Option(help: "Log level.")
    var logLevel = "info"

    func run() async throws {
        var options = CommonOptions()
        options.logLevel = logLevel
        options.databaseURL = DatabaseURL.defaultURLString
        let logger = try options.makeLogger(label: "platform.dev")
        let configuration = GatewayConfiguration(
            host: "127.0.0.1", port: port, databaseURL: try options.resolvedDatabaseURL(), migrateOnStart: true
        )
        // Written unbuffered so it shows before the server's own log lines.
        FileHandle.standardOutput.write(Data(
            """
            platform dev
              gateway   http://127.0.0.1:\(port)
              database  \(configuration.databaseURL)
              try       curl -s http://127.0.0.1:\(port)/readyz

            """.utf8))
        try await ServeCommand.runGateway(configuration, logger: logger)
    }
}
