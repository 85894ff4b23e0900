import ArgumentParser
import Foundation
import Gateway
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
              platform migrate --database-url postgres://platform_owner:…@db/platform --super-admin 6f1c…(Authorizer id)
            """
    )

    @OptionGroup var options: CommonOptions

    @Option(
        name: .customLong("super-admin"),
        help:
            "PostgreSQL: list this Authorizer id as one the gateway may make a platform operator (serve --super-admin); repeatable. Env: SUPER_ADMINS (comma-separated)"
    )
    var superAdmins: [String] = []

    @Option(
        help:
            "PostgreSQL: store this key (32 bytes or more) as the one row-level security checks each query's tenant with; serve must be given the same. Env: TENANT_KEY"
    )
    var tenantKey: String?

    func run() async throws {
        let url = try options.resolvedDatabaseURL()
        let logger = try options.makeLogger(label: "platform.migrate")
        do {
            var flags = options.flags
            flags[.superAdmins] = superAdmins
            flags[.tenantKey] = tenantKey.map { [$0] }
            let settings = SettingsReader(flags: flags)
            let operators = settings.list(.superAdmins).map(RoleMapping.normalised).filter { !$0.isEmpty }
            let key = try settings.secret(.tenantKey, minimumBytes: 32)
            if url.dialect == .postgres, let email = operators.first(where: { $0.contains("@") }) {
                throw ValidationError(
                    "\(settings.source(.superAdmins)): '\(email)' is an email; on PostgreSQL operators are listed by Authorizer id (the app role can rewrite a row's email, not whose it is). The id is in Authorizer's _users list"
                )
            }
            let applied = try await PlatformDatabase.withOpened(url, logger: logger) { database in
                let applied = try await Migrator(logger: logger).migrate(database)
                try await OperatorList(database).add(operators)
                if let key { try await TenantKey.store(key, in: database) }
                return applied
            }
            print(applied.isEmpty ? "Nothing to migrate: \(url) is up to date." : "Applied to \(url):")
            for name in applied { print("  \(name)") }
            if !operators.isEmpty, url.dialect == .postgres {
                print("Operators the gateway may make: \(operators.joined(separator: ", "))")
            }
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
