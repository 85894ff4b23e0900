import Foundation
import Logging
import SQLKit

/// Applies the ordered list of migrations, each once, recording them in `platform_migrations`.
public struct Migrator: Sendable {
    /// Every migration, in the order it must run.
    public static let all: [any Migration] = [
        CreateClients(),
        CreateUsers(),
        UpdateUserSchemaFinal(),
        CreateWorkflows(),
        CreateReports(),
        CreateWebhookEvents(),
        AddUserChangeNotifications(),
        CreateAuditLog(),
        CreateInvitations(),
        EnableRowLevelSecurity(),
        AddRowTenantLookup(),
        IndexPendingWebhookEvents(),
        AddWorkflowChangeNotifications(),
        ForbidOperatorsInTenants(),
        AddAuthorizerSuspension(),
        AddClientChangeNotifications(),
        CreateSignupIntents(),
        IndexWebhookEventsByUser(),
        GrantApplicationRole(),
        IndexWebhookEventsForOperators(),
        ReserveOperatorsToTheOwner(),
        ProveTheTenantSetting(),
        CreateSignInChallenges(),
        AddWorkflowRenderedJSON(),
        CreateRateWindows(),
    ]

    let migrations: [any Migration]
    let ledger: String
    let logger: Logger

    /// A migrator over `migrations` (the platform's by default), recorded in the table `ledger`.
    public init(
        migrations: [any Migration] = Migrator.all,
        ledger: String = "platform_migrations",
        logger: Logger = Logger(label: "platform.migrate")
    ) {
        self.migrations = migrations
        self.ledger = ledger
        self.logger = logger
    }

    /// Applies what is pending and returns the names applied. A database that is up to date is
    /// only read, so that a role without the right to change the schema may call this too. All
    /// pending migrations run in one transaction, so a refusal leaves the database exactly as it
    /// was; on PostgreSQL an advisory lock keeps concurrent migrators from racing. Throws
    /// ``PlatformDBError/schemaNewer(unknown:)`` for a database that a newer binary has migrated.
    @discardableResult
    public func migrate(_ database: PlatformDatabase) async throws -> [String] {
        let before = try await status(database)
        if !before.unknown.isEmpty { throw PlatformDBError.schemaNewer(unknown: before.unknown) }
        if before.pending.isEmpty { return [] }
        do {
            return try await apply(database)
        } catch {
            let typed = PlatformDBError.from(error)
            if case .refused(let why) = typed, why.hasPrefix("PostgreSQL 42501") {
                throw PlatformDBError.refused(
                    "\(why). Migrations need the role that owns the schema: run `platform migrate` with its URL, and the gateway with `serve --no-migrate`"
                )
            }
            throw typed
        }
    }

    private func apply(_ database: PlatformDatabase) async throws -> [String] {
        let dialect = database.dialect
        let migrations = self.migrations
        let ledger = self.ledger
        let logger = self.logger
        return try await database.transaction { sql in
            if dialect == .postgres {
                try await sql.raw("SELECT pg_advisory_xact_lock(\(unsafeRaw: String(Self.lockKey)))").run()
            }
            try await Self.createLedger(sql, ledger)
            let applied = Set(try await Self.appliedNames(sql, ledger))
            var done: [String] = []
            for migration in migrations where !applied.contains(migration.name) {
                logger.info("applying migration", metadata: ["migration": "\(migration.name)"])
                try await migration.prepare(on: sql, dialect: dialect)
                try await sql.insert(into: ledger)
                    .columns("name", "applied_at")
                    .values(SQLBind(migration.name), SQLBind(Date()))
                    .run()
                done.append(migration.name)
            }
            return done
        }
    }

    /// The names of migrations not yet applied, in order.
    public func pending(_ database: PlatformDatabase) async throws -> [String] {
        try await status(database).pending
    }

    /// What the database holds against what this binary knows, read without writing anything.
    public func status(_ database: PlatformDatabase) async throws -> SchemaStatus {
        let dialect = database.dialect
        let names = migrations.map(\.name)
        let ledger = self.ledger
        return try await database.withConnection { sql in
            guard try await SchemaInspector(sql, dialect: dialect).hasTable(ledger) else {
                return SchemaStatus(pending: names, unknown: [])
            }
            let applied = try await Self.appliedNames(sql, ledger)
            let known = Set(names)
            let done = Set(applied)
            return SchemaStatus(
                pending: names.filter { !done.contains($0) }, unknown: applied.filter { !known.contains($0) })
        }
    }

    /// Throws unless every migration this binary knows is applied: ``PlatformDBError/schemaBehind(pending:)``
    /// names what to run. A schema up to one version newer is accepted (every migration stays
    /// compatible with the previous binary, docs/operations.md), so only `migrate` refuses it.
    public func requireCurrent(_ database: PlatformDatabase) async throws {
        let status = try await status(database)
        guard status.pending.isEmpty else { throw PlatformDBError.schemaBehind(pending: status.pending) }
        if !status.unknown.isEmpty {
            logger.warning(
                "the database has migrations this binary does not know; upgrade it",
                metadata: ["unknown": "\(status.unknown.joined(separator: ", "))"])
        }
    }

    private static let lockKey = 7_326_091_001  // any constant shared by all instances

    private static func createLedger(_ sql: any SQLDatabase, _ ledger: String) async throws {
        try await sql.raw(
            "CREATE TABLE IF NOT EXISTS \(ident: ledger) (name TEXT PRIMARY KEY NOT NULL, applied_at TIMESTAMP NOT NULL)"
        ).run()
    }

    private static func appliedNames(_ sql: any SQLDatabase, _ ledger: String) async throws -> [String] {
        try await sql.raw("SELECT name FROM \(ident: ledger) ORDER BY name").all()
            .map { try $0.decode(column: "name", as: String.self) }
    }
}
