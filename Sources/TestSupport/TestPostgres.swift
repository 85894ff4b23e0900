import Foundation
import Logging
import PlatformDB
import SQLKit

/// A PostgreSQL server for tests, when the test command provides one in
/// `PLATFORM_TEST_POSTGRES_URL`: one migrated template, cloned into a new database per test so
/// tests run in parallel. Only test targets depend on this.
public actor TestPostgres {
    public static let shared = TestPostgres()
    static let logger = Logger(label: "test.postgres")

    /// The superuser URL, or nil when no server was given.
    public static var adminURL: DatabaseURL? {
        ProcessInfo.processInfo.environment["PLATFORM_TEST_POSTGRES_URL"].flatMap { try? DatabaseURL($0) }
    }

    /// Whether `PLATFORM_TEST_POSTGRES_URL` is a transaction-mode pooler (`?pooler=transaction`):
    /// every test database is reached through it, and the tests that need a direct connection by
    /// nature skip, naming why.
    public static var pooled: Bool {
        if case .postgres(let location) = adminURL { return location.transactionPooler }
        return false
    }

    /// `url` as a command line takes it (no password: the test server trusts loopback), keeping
    /// `pooler=transaction`.
    public static func commandLine(_ url: DatabaseURL) -> String {
        guard case .postgres(let location) = url else { return "\(url)" }
        return "postgres://\(location.username)@\(location.host):\(location.port)/\(location.database)?sslmode=disable"
            + (location.transactionPooler ? "&pooler=transaction" : "")
    }

    /// PgBouncer in transaction mode in front of the same server, when the test command started
    /// one (`PLATFORM_TEST_PGBOUNCER_URL`, scripts/lib/pgbouncer.sh).
    public static var pgbouncerURL: DatabaseURL? {
        ProcessInfo.processInfo.environment["PLATFORM_TEST_PGBOUNCER_URL"].flatMap { try? DatabaseURL($0) }
    }

    /// A streaming replica of the same server, when the test command started one
    /// (`PLATFORM_TEST_REPLICA_URL`, scripts/lib/postgres.sh `pg_start_replica`).
    public static var replicaURL: DatabaseURL? {
        ProcessInfo.processInfo.environment["PLATFORM_TEST_REPLICA_URL"].flatMap { try? DatabaseURL($0) }
    }

    /// `url`'s database on the replica; nil without one.
    public static func onReplica(_ url: DatabaseURL) -> DatabaseURL? {
        guard case .postgres(let primary) = url, case .postgres(var replica) = replicaURL else { return nil }
        replica.database = primary.database
        return .postgres(replica)
    }

    /// `url`'s database reached through PgBouncer; nil without one.
    public static func throughPgBouncer(_ url: DatabaseURL) -> DatabaseURL? {
        guard case .postgres(let direct) = url, case .postgres(var bouncer) = pgbouncerURL else { return nil }
        bouncer.database = direct.database
        return .postgres(bouncer)
    }

    private var templateReady = false
    private let templateName = "platform_test_template_\(ProcessInfo.processInfo.processIdentifier)"
    /// PostgreSQL refuses to copy a template while another session uses it, so every
    /// administrative statement runs one after another, in order of arrival.
    private var tail: Task<Void, Never> = Task {}

    /// Runs `body` with the URL of a new database (migrated, or empty), then drops it and records
    /// that a PostgreSQL test ran.
    public func withDatabase<T: Sendable>(
        migrated: Bool, test: String, _ body: @Sendable (DatabaseURL) async throws -> T
    ) async throws -> T {
        let (name, url) = try await createDatabase(migrated: migrated)
        do {
            let result = try await body(url)
            try? await drop(name)
            Self.record(test)
            return result
        } catch {
            try? await drop(name)
            throw error
        }
    }

    private func createDatabase(migrated: Bool) async throws -> (String, DatabaseURL) {
        let previous = tail
        let task = Task {
            await previous.value; return try await self.createDatabaseNow(migrated: migrated)
        }
        tail = Task { _ = try? await task.value }
        return try await task.value
    }

    private func createDatabaseNow(migrated: Bool) async throws -> (String, DatabaseURL) {
        guard case .postgres(var location) = Self.adminURL else {
            throw PlatformDBError.unavailable("PLATFORM_TEST_POSTGRES_URL is not set")
        }
        if migrated && !templateReady {
            try await Self.admin("DROP DATABASE IF EXISTS \(templateName) WITH (FORCE)")
            try await Self.admin("CREATE DATABASE \(templateName)")
            var templateLocation = location
            templateLocation.database = templateName
            try await PlatformDatabase.withOpened(.postgres(templateLocation), logger: Self.logger) {
                try await Migrator().migrate($0)
            }
            templateReady = true
        }
        if migrated && location.transactionPooler {
            // The pooler keeps the migration's server connections to the template open, and
            // PostgreSQL copies no template that another session uses.
            try await Self.admin(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(templateName)'")
        }
        let name = "platform_test_" + Identifier.make()
        try await Self.admin("CREATE DATABASE \(name)" + (migrated ? " TEMPLATE \(templateName)" : ""))
        location.database = name
        return (name, .postgres(location))
    }

    private func drop(_ name: String) async throws {
        try await Self.admin("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// Runs one statement as the superuser on the server's default database.
    public static func admin(_ statement: String) async throws {
        guard let url = adminURL else { return }
        try await PlatformDatabase.withOpened(url, logger: logger) { database in
            try await database.withConnection { sql in
                try await sql.raw(SQLQueryString(stringLiteral: statement)).run()
            }
        }
    }

    /// Notes that a PostgreSQL-backed test ran, so the test command can report the count.
    public nonisolated static func record(_ testName: String) {
        guard let path = ProcessInfo.processInfo.environment["PLATFORM_TEST_PG_LOG"],
            let handle = FileHandle(forWritingAtPath: path)
        else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        handle.write(Data("\(testName) \(UUID().uuidString)\n".utf8))
    }
}
