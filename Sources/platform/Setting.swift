import ArgumentParser
import Configuration
import Foundation
import Gateway

/// One setting of the command line: its flag and its environment variable. Its configuration key
/// is the variable's words (`AUTH_RATE_LIMIT_PER_IP` is `auth.rate.limit.per.ip`), so that
/// swift-configuration's environment provider finds it under the name it has always had.
struct Setting: Hashable, Sendable {
    let flag: String
    let variable: String
    /// Kept out of the configuration's access log and of every error message.
    var isSecret = false
    /// A repeatable flag, or a comma-separated variable.
    var isList = false

    var key: ConfigKey { ConfigKey(variable.lowercased().split(separator: "_").map(String.init)) }
}

/// A configuration error as ArgumentParser's validation error: usage exit code, message as is.
func validated<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as GatewayConfigurationError {
        throw ValidationError(error.description)
    }
}
