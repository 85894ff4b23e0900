import Foundation
import Logging
import PlatformDB
import SQLKit
import TestSupport
import Testing

/// Only `migrate` (and `serve`) migrate; every other command checks the schema first. Before,
/// `reconcile --dry-run` applied every migration to an empty database.
@Suite struct SchemaCheckTests {
    static let logger = Logger(label: "test.schema-check")

    /// The tables of `url` and the names in its migration ledger (empty without one).
    static func snapshot(_ url: DatabaseURL) async throws -> (tables: [String], ledger: [String]) {
        try await PlatformDatabase.withOpened(url, logger: logger) { database in
            try await database.withConnection { sql in
                let query =
                    database.dialect == .postgres
                    ? "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
                    : "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1"
                let tables = try await sql.raw(SQLQueryString(stringLiteral: query)).all().map {
                    try $0.decode(column: "name", as: String.self)
                }
                guard tables.contains("platform_migrations") else { return (tables, []) }
                let ledger = try await sql.raw("SELECT name FROM platform_migrations ORDER BY name").all().map {
                    try $0.decode(column: "name", as: String.self)
                }
                return (tables, ledger)
            }
        }
    }

    static let reconcile = [
        "reconcile", "--dry-run", "--authorizer-url", "http://127.0.0.1:9", "--authorizer-client-id", "c",
        "--authorizer-admin-secret", "admin-secret-0123456789", "--authorizer-version", "2",
    ]

    /// On an empty and on a partly migrated PostgreSQL database: refused, naming what to run, and
    /// the tables and the ledger are the same after as before.
    @Test(.enabled(if: TestPostgres.adminURL != nil)) func aDryRunOnADatabaseBehindRefusesAndWritesNothing()
        async throws
    {
        try await TestPostgres.shared.withDatabase(
            migrated: false, test: "aDryRunOnADatabaseBehindRefusesAndWritesNothing"
        ) { url in
            try await Self.expectRefusedUnchanged(url)
            try await PlatformDatabase.withOpened(url, logger: Self.logger) {
                try await Migrator(migrations: Array(Migrator.all.prefix(3))).migrate($0)
            }
            try await Self.expectRefusedUnchanged(url)
        }
    }

    static func expectRefusedUnchanged(_ url: DatabaseURL) async throws {
        guard case .postgres(let location) = url else { return }
        let text = TestPostgres.commandLine(.postgres(location))
        let before = try await snapshot(url)
        for command in [reconcile, ["users", "list"], ["clients", "list"], ["webhooks", "list"]] {
            let (status, output) = try OperatorCLITests.run(command + ["--database-url", text])
            #expect(status != 0, "\(command[0]) ran on a database behind: \(output)")
            #expect(output.contains("migration(s) behind") && output.contains("platform migrate"), "\(output)")
        }
        let after = try await snapshot(url)
        #expect(after.tables == before.tables, "tables changed: \(before.tables) → \(after.tables)")
        #expect(after.ledger == before.ledger, "ledger changed: \(before.ledger) → \(after.ledger)")
    }

    /// A database a newer binary migrated: `migrate` says so instead of "up to date".
    @Test func migrateRefusesASchemaNewerThanItKnows() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("newer-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = "sqlite://\(folder.path)/platform.sqlite"
        try OperatorCLITests.platform(["migrate", "--database-url", url])
        try await PlatformDatabase.withOpened(try DatabaseURL(url), logger: Self.logger) { database in
            try await database.withConnection { sql in
                try await sql.raw(
                    "INSERT INTO platform_migrations (name, applied_at) VALUES ('29991231000000_from_the_future', CURRENT_TIMESTAMP)"
                ).run()
            }
        }
        let (status, output) = try OperatorCLITests.run(["migrate", "--database-url", url])
        #expect(status != 0, "\(output)")
        #expect(output.contains("29991231000000_from_the_future") && !output.contains("up to date"), "\(output)")
        // The other commands accept it (one version of compatibility) and say so; so does serve,
        // which migrates first unless told not to, during a rolling deploy.
        #expect(try OperatorCLITests.run(["clients", "list", "--database-url", url]).status == 0)
        let port = CrashRecoveryTests.freePort()
        let serve = Process()
        serve.executableURL = URL(fileURLWithPath: CrashRecoveryTests.platformBinary)
        serve.arguments = [
            "serve", "--database-url", url, "--port", String(port), "--without-authorizer", "--insecure-webhooks",
            "--drain-period", "0", "--log-level", "error",
        ]
        try serve.run()
        defer { serve.terminate() }
        #expect(try await ProductionPathTests.waitFor("http://127.0.0.1:\(port)/healthz"), "the old serve runs")
    }

    /// A database that cannot be reached says why, at the error, not only "no connection within
    /// 2 s" with the cause at info level: a missing database, TLS required of a server without it.
    @Test(
        .enabled(if: TestPostgres.adminURL != nil),
        .disabled(
            if: TestPostgres.pooled, "needs a direct connection: a pooler answers for the server, in its own words"))
    func aConnectionFailureNamesItsCause() throws {
        guard case .postgres(let server) = TestPostgres.adminURL else { return }
        var environment = ProcessInfo.processInfo.environment
        environment["PLATFORM_DB_LEASE_TIMEOUT_MS"] = "1000"
        let base = "postgres://\(server.username)@\(server.host):\(server.port)"
        let cases = [
            ("\(base)/no_such_database?sslmode=disable", "does not exist"),
            ("\(base)/postgres?sslmode=require", "TLS"),
        ]
        for (url, cause) in cases {
            let (status, output) = try OperatorCLITests.run(
                ["migrate", "--database-url", url, "--log-level", "critical"], environment: environment)
            #expect(status != 0, "\(url): \(output)")
            #expect(output.contains("no PostgreSQL connection within") && output.contains(cause), "\(url): \(output)")
        }
    }
}
