import Foundation
import Logging
import PlatformDB
import SQLKit
import TestSupport
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
            try await TestPostgres.shared.withDatabase(migrated: migrated, test: Test.current?.name ?? "unknown") {
                url in
                try await PlatformDatabase.withOpened(url, logger: logger) { try await body($0) }
            }
        }
    }
}
