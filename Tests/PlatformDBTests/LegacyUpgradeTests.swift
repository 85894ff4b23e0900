import Foundation
import PlatformDB
import SQLKit
import Testing

/// The seed's migration history: a FASE 0–4 database is upgraded by `platform migrate`.
@Suite struct LegacyUpgradeTests {
    /// Creates the deprecated shape: passwords and a verified flag in `users`, `authorizer_id` nullable.
    static func seedLegacy(_ database: PlatformDatabase, users: [(email: String, authorizerID: String?)]) async throws {
        try await database.withConnection { sql in
            try await sql.raw(
                """
                CREATE TABLE clients (id TEXT PRIMARY KEY, name TEXT NOT NULL, slug TEXT NOT NULL UNIQUE,
                  status TEXT NOT NULL DEFAULT 'ACTIVE', created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL)
                """
            ).run()
            try await sql.raw(
                """
                CREATE TABLE users (
                  id TEXT PRIMARY KEY, authorizer_id TEXT UNIQUE, email TEXT NOT NULL UNIQUE,
                  password_hash TEXT NOT NULL, email_verified BOOLEAN NOT NULL DEFAULT FALSE,
                  first_name TEXT, last_name TEXT, role TEXT NOT NULL DEFAULT 'USER',
                  status TEXT NOT NULL DEFAULT 'PENDING_VERIFICATION', client_id TEXT REFERENCES clients(id),
                  created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL, last_login_at TIMESTAMP)
                """
            ).run()
            for (index, user) in users.enumerated() {
                try await sql.raw(
                    """
                    INSERT INTO users (id, authorizer_id, email, password_hash, email_verified, first_name, status, created_at, updated_at)
                    VALUES (\(bind: "legacy-\(index)"), \(bind: user.authorizerID), \(bind: user.email),
                      '$2b$10$legacylegacylegacylegacyu', TRUE, 'Legacy', 'ACTIVE', \(bind: Date()), \(bind: Date()))
                    """
                ).run()
            }
        }
    }

    static func columnNames(_ database: PlatformDatabase) async throws -> [String] {
        try await database.withConnection { sql in
            try await SchemaInspector(sql, dialect: database.dialect).columns(of: "users").map(\.name)
        }
    }

    @Test(arguments: Backend.available)
    func refusesWhileUsersLackAnAuthorizerIDAndChangesNothing(_ backend: Backend) async throws {
        try await TestDatabase.with(backend, migrated: false) { database in
            try await Self.seedLegacy(
                database,
                users: [("linked@example.com", "auth-1"), ("orphan-b@example.com", nil), ("orphan-a@example.com", nil)])
            let before = try await Self.columnNames(database)

            await #expect(
                throws: PlatformDBError.legacyUsersWithoutAuthorizerID(
                    emails: ["orphan-a@example.com", "orphan-b@example.com"])
            ) {
                try await Migrator().migrate(database)
            }
            #expect(try await Self.columnNames(database) == before)
            #expect(before.contains("password_hash"))
            let ledger = try await database.withConnection { sql in
                try await SchemaInspector(sql, dialect: database.dialect).hasTable("platform_migrations")
            }
            #expect(!ledger, "a refused upgrade must not record any migration")
            let message = PlatformDBError.legacyUsersWithoutAuthorizerID(emails: ["x@y"]).description
            #expect(message.contains("UPDATE users SET authorizer_id"))
        }
    }

    @Test(arguments: Backend.available)
    func upgradesALinkedLegacyTableToTheFinalShape(_ backend: Backend) async throws {
        try await TestDatabase.with(backend, migrated: false) { database in
            try await Self.seedLegacy(database, users: [("a@example.com", "auth-a"), ("b@example.com", "auth-b")])

            let applied = try await Migrator().migrate(database)
            #expect(applied.contains("20251202020032_update_user_schema_final"))

            let columns = try await database.withConnection { sql in
                try await SchemaInspector(sql, dialect: database.dialect).columns(of: "users")
            }
            #expect(!columns.contains { $0.name == "password_hash" || $0.name == "email_verified" })
            #expect(columns.first { $0.name == "authorizer_id" }?.isNullable == false)
            #expect(columns.first { $0.name == "status" }?.defaultValue?.contains("'ACTIVE'") == true)

            // Rows survive with their data.
            let a = try await UserStore(database).find(authorizerID: "auth-a")
            #expect(a?.email == "a@example.com")
            #expect(a?.firstName == "Legacy")
            #expect(a?.status == .active)

            // The final rules now hold: NOT NULL authorizer_id, CHECKs, default status.
            await #expect(throws: PlatformDBError.self) {
                try await database.withConnection { sql in
                    try await sql.raw(
                        "INSERT INTO users (id, email, updated_at) VALUES ('x', 'x@example.com', \(bind: Date()))"
                    ).run()
                }
            }
            await #expect(throws: PlatformDBError.self) {
                try await UserStore(database).create(NewUser(authorizerID: "auth-a", email: "other@example.com"))
            }
            let c = try await database.withConnection { sql in
                try await sql.raw(
                    """
                    INSERT INTO users (id, authorizer_id, email, updated_at)
                    VALUES ('new', 'auth-c', 'c@example.com', \(bind: Date())) RETURNING status
                    """
                ).first()?.decode(column: "status", as: String.self)
            }
            #expect(c == "ACTIVE")

            // The tenant key now cascades, and the seed's indexes exist.
            let client = try await TenantStore(database).create(name: "Acme", slug: "acme")
            let indexes = try await database.withConnection { sql in
                try await sql.raw("UPDATE users SET client_id = \(bind: client.id) WHERE authorizer_id = 'auth-b'")
                    .run()
                try await sql.raw("DELETE FROM clients WHERE id = \(bind: client.id)").run()
                return try await SchemaInspector(sql, dialect: database.dialect).indexes(of: "users")
            }
            #expect(try await UserStore(database).find(authorizerID: "auth-b") == nil)
            for index in ["idx_users_authorizer_id", "idx_users_email", "idx_users_client_id", "idx_users_status"] {
                #expect(indexes.contains(index), "missing \(index)")
            }
            #expect(try await Migrator().migrate(database).isEmpty)
        }
    }
}
