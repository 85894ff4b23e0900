import ArgumentParser
import Foundation
import PlatformDB

/// `platform clients list|create`: tenants, straight from the database.
struct TenantsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clients",
        abstract: "List and create tenants (directly in the database).",
        discussion: """
            Examples:
              platform clients list
              platform clients create "Acme Corp"
            A new tenant is empty: invite its first ADMIN from an operator account, or set one with
            `platform users set-role` once they joined.
            """,
        subcommands: [List.self, Create.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tenants, newest first.")
        @OptionGroup var options: CommonOptions
        @Option(help: "At most this many (1–10000).")
        var limit = 100

        func run() async throws {
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be 1–10000") }
            let limit = self.limit
            let logger = try options.makeLogger(label: "platform.clients")
            let clients = try await options.withCurrentDatabase(logger: logger) {
                db in
                try await TenantStore(db).all(limit: limit, after: nil)
            }
            for client in clients { print(TenantsCommand.line(client)) }
            if clients.isEmpty { print("no tenants") }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an empty tenant.")
        @OptionGroup var options: CommonOptions
        @Argument(help: "The tenant's name (1–200 characters).")
        var name: String

        func run() async throws {
            let name = self.name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...200).contains(name.count), !name.utf8.contains(0) else {
                throw ValidationError("the name must be 1–200 characters")
            }
            let logger = try options.makeLogger(label: "platform.clients")
            let operatorName = ProcessInfo.processInfo.environment["USER"] ?? "operator"
            let client = try await options.withCurrentDatabase(logger: logger) {
                db in
                let client = try await TenantStore(db).create(
                    name: name, slug: TenantStore.slug(for: name), now: Date().databasePrecision)
                try await AuditLog(db).record(
                    actor: "cli:\(operatorName)", action: "tenant.created", target: client.id, detail: name,
                    tenantID: client.id)
                return client
            }
            print(TenantsCommand.line(client))
        }
    }

    static func line(_ client: TenantRecord) -> String {
        [client.id, client.slug, client.status.rawValue, client.name].joined(separator: "  ")
    }
}
