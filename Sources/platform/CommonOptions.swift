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

    /// The database URL after flags, environment and default are layered.
    func resolvedDatabaseURL() throws -> DatabaseURL {
        let text = databaseURL ?? ProcessInfo.processInfo.environment["DATABASE_URL"] ?? DatabaseURL.defaultURLString
        do {
            return try DatabaseURL(text)
        } catch {
            throw ValidationError("--database-url / DATABASE_URL: \(error)")
        }
    }

    /// Sets up logging once and returns the root logger.
    func makeLogger(label: String) throws -> Logger {
        let text = logLevel ?? ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "info"
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw ValidationError(
                "--log-level / LOG_LEVEL: '\(text)' is not one of trace, debug, info, notice, warning, error, critical")
        }
        let format = (logFormat ?? ProcessInfo.processInfo.environment["LOG_FORMAT"] ?? "text").lowercased()
        guard ["text", "json"].contains(format) else {
            throw ValidationError("--log-format / LOG_FORMAT: '\(format)' is not text or json")
        }
        LoggingBootstrap.once(level: level, json: format == "json")
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }
}

/// Bootstraps swift-log exactly once per process.
enum LoggingBootstrap {
    nonisolated(unsafe) private static var done = false  // touched only from the main task at start

    static func once(level: Logger.Level, json: Bool = false) {
        guard !done else { return }
        done = true
        LoggingSystem.bootstrap { label in
            if json {
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

/// Bootstraps swift-metrics with a Prometheus registry exactly once per process; `/metrics` reads it.
enum MetricsBootstrap {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}

/// A secret setting from its flag or, failing that, its environment variable, checked by
/// ``SecretSetting`` with the key it actually came from named in the error.
func secretSetting(
    _ flagValue: String?, flag: String, environment variable: String, minimumBytes: Int = SecretSetting.minimumBytes,
    warnBelow: Int? = nil
) throws -> String? {
    let key = flagValue == nil ? variable : flag
    guard let value = flagValue ?? ProcessInfo.processInfo.environment[variable] else { return nil }
    try validated { try SecretSetting.check(value, key: key, minimumBytes: minimumBytes) }
    if let warnBelow, value.utf8.count < warnBelow {
        FileHandle.standardError.write(Data("warning: \(SecretSetting.shortJWTSecretWarning(key: key))\n".utf8))
    }
    return value
}

/// A configuration error as ArgumentParser's validation error: usage exit code, message as is.
func validated<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as GatewayConfigurationError {
        throw ValidationError(error.description)
    }
}
