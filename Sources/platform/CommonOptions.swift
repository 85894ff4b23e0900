import ArgumentParser
import Foundation
import Gateway
import Logging
import Metrics
import PlatformDB
import Prometheus

/// Options every subcommand shares. Flags win over environment variables, which win over defaults.
struct CommonOptions: ParsableArguments {
    @Option(
        help:
            "Platform database: postgres://user:pass@host:port/db, sqlite:///path or sqlite::memory:. Env: DATABASE_URL. Default: \(DatabaseURL.defaultURLString)"
    )
    var databaseURL: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical. Env: LOG_LEVEL. Default: info")
    var logLevel: String?

    @Option(
        help:
            "Log format: text (one readable line per event) or json (one JSON object per line). Env: LOG_FORMAT. Default: text"
    )
    var logFormat: String?

    /// These options as given on the command line.
    var flags: [Setting: [String]?] {
        [.databaseURL: databaseURL.map { [$0] }, .logLevel: logLevel.map { [$0] }, .logFormat: logFormat.map { [$0] }]
    }

    /// These options, over the environment.
    var settings: SettingsReader { SettingsReader(flags: flags) }

    /// The database URL after flags, environment and default are layered.
    func resolvedDatabaseURL() throws -> DatabaseURL {
        let settings = self.settings
        do {
            return try DatabaseURL(settings.text(.databaseURL) ?? DatabaseURL.defaultURLString)
        } catch {
            throw ValidationError("\(settings.source(.databaseURL)): \(error)")
        }
    }

    /// Opens the database and runs `body` once every migration this binary knows is applied; it
    /// never migrates (only `migrate` and `serve` do), and a database behind is refused with what to run.
    /// The console proves its tenants with `TENANT_KEY` from the environment, as `serve` does.
    func withCurrentDatabase<T: Sendable>(
        logger: Logger, _ body: @Sendable (PlatformDatabase) async throws -> T
    ) async throws -> T {
        TenantProof.use(key: try settings.secret(.tenantKey, minimumBytes: 32))
        return try await PlatformDatabase.withOpened(try resolvedDatabaseURL(), logger: logger) { database in
            try await Migrator(logger: logger).requireCurrent(database)
            return try await body(database)
        }
    }

    /// Sets up logging once and returns the root logger.
    func makeLogger(label: String) throws -> Logger {
        try Self.makeLogger(label: label, settings: settings)
    }

    /// Sets up logging once from `settings`' log level and format, and returns the root logger.
    static func makeLogger(label: String, settings: SettingsReader) throws -> Logger {
        let text = settings.text(.logLevel) ?? "info"
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw settings.refusal(
                .logLevel, text, "is not one of trace, debug, info, notice, warning, error, critical")
        }
        let format = (settings.text(.logFormat) ?? "text").lowercased()
        guard ["text", "json"].contains(format) else {
            throw settings.refusal(.logFormat, format, "is not text or json")
        }
        LoggingBootstrap.once(level: level, json: format == "json")
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }
}
