import Foundation
import Logging
import PlatformDB
import SQLKit
import Testing

/// The databases a store test runs on: SQLite always, PostgreSQL when
/// `PLATFORM_TEST_POSTGRES_URL` names a server (the README's test command starts one).
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// The backends available in this run.
    static var available: [Backend] {
        TestPostgres.adminURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }
}

/// Gives each test its own fresh database and removes it afterwards.
enum TestDatabase {
    static let logger = Logger(label: "test.db")

    /// Runs `body` against a new database on `backend`; `migrated` applies every migration first.
    static func with(
        _ backend: Backend,
        migrated: Bool = true,
        _ body: @Sendable (PlatformDatabase) async throws -> Void
    ) async throws {
        switch backend {
        case .sqlite:
            try await PlatformDatabase.withOpened(.sqliteMemory, logger: logger) { database in
                if migrated { try await Migrator().migrate(database) }
                try await body(database)
            }
        case .postgres:
            let url = try await TestPostgres.shared.createDatabase(migrated: migrated)
            do {
                try await PlatformDatabase.withOpened(url.database, logger: logger) { database in
                    try await body(database)
                }
            } catch {
                try? await TestPostgres.shared.drop(url.name)
                throw error
            }
            try await TestPostgres.shared.drop(url.name)
            TestPostgres.record(Test.current?.name ?? "unknown")
        }
    }
}

/// A PostgreSQL server for tests: one migrated template, cloned into a new database per test so
/// tests run in parallel.
actor TestPostgres {
    static let shared = TestPostgres()

    static var adminURL: DatabaseURL? {
        ProcessInfo.processInfo.environment["PLATFORM_TEST_POSTGRES_URL"].flatMap { try? DatabaseURL($0) }
    }

    private var templateReady = false
    /// PostgreSQL refuses to copy a template while another session uses it, so every
    /// administrative statement runs one after another, in order of arrival.
    private var tail: Task<Void, Never> = Task {}
    private let templateName = "platform_test_template_\(ProcessInfo.processInfo.processIdentifier)"

    struct Created {
        var name: String
        var database: DatabaseURL
    }

    /// Creates a database, migrated (cloned from the template) or empty.
    func createDatabase(migrated: Bool) async throws -> Created {
        let previous = tail
        let task = Task { await previous.value; return try await self.createDatabaseNow(migrated: migrated) }
        tail = Task { _ = try? await task.value }
        return try await task.value
    }

    private func createDatabaseNow(migrated: Bool) async throws -> Created {
        guard case .postgres(var location) = Self.adminURL else {
            throw PlatformDBError.unavailable("PLATFORM_TEST_POSTGRES_URL is not set")
        }
        if migrated && !templateReady {
            try await admin("DROP DATABASE IF EXISTS \(templateName) WITH (FORCE)")
            try await admin("CREATE DATABASE \(templateName)")
            var templateLocation = location
            templateLocation.database = templateName
            try await PlatformDatabase.withOpened(.postgres(templateLocation), logger: TestDatabase.logger) {
                try await Migrator().migrate($0)
            }
            templateReady = true
        }
        let name = "platform_test_" + Identifier.make()
        try await admin("CREATE DATABASE \(name)" + (migrated ? " TEMPLATE \(templateName)" : ""))
        location.database = name
        return Created(name: name, database: .postgres(location))
    }

    /// Drops a test database, closing any connection still open to it.
    func drop(_ name: String) async throws {
        try await admin("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    private func admin(_ statement: String) async throws {
        guard let url = Self.adminURL else { return }
        try await PlatformDatabase.withOpened(url, logger: TestDatabase.logger) { database in
            try await database.withConnection { sql in
                try await sql.raw(SQLQueryString(stringLiteral: statement)).run()
            }
        }
    }

    /// Notes that a PostgreSQL-backed test ran, so the test command can report the count.
    nonisolated static func record(_ testName: String) {
        guard let path = ProcessInfo.processInfo.environment["PLATFORM_TEST_PG_LOG"],
            let handle = FileHandle(forWritingAtPath: path)
        else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        handle.write(Data("\(testName) \(UUID().uuidString)\n".utf8))
    }
}
