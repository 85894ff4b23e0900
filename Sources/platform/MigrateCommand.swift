import ArgumentParser
import Foundation
import PlatformDB

/// `platform migrate`: applies pending migrations; a no-op when there are none.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending platform database migrations (idempotent).",
        discussion: """
            Examples:
              platform migrate
              platform migrate --database-url postgres://platform_owner:…@db/platform
            """
    )

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let url = try options.resolvedDatabaseURL()
        let logger = try options.makeLogger(label: "platform.migrate")
        do {
            let applied = try await PlatformDatabase.withOpened(url, logger: logger) { database in
                try await Migrator(logger: logger).migrate(database)
            }
            print(applied.isEmpty ? "Nothing to migrate: \(url) is up to date." : "Applied to \(url):")
            for name in applied { print("  \(name)") }
        } catch let error as PlatformDBError {
            printError(error.description)
            throw ExitCode.failure
        }
    }
}

/// Writes a line to standard error.
func printError(_ message: String) {
    var stderr = StandardError()
    print("error: \(message)", to: &stderr)
}
