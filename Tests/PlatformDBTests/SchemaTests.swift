import Foundation
import PlatformDB
import SQLKit
import Testing

@Suite struct SchemaTests {
    @Test(arguments: Backend.available)
    func migrationsApplyOnceAndRerunIsANoOp(_ backend: Backend) async throws {
        try await TestDatabase.with(backend, migrated: false) { database in
            let first = try await Migrator().migrate(database)
            #expect(first == Migrator.all.map(\.name))
            #expect(try await Migrator().migrate(database).isEmpty)
            #expect(try await Migrator().pending(database).isEmpty)
        }
    }

    @Test(arguments: Backend.available)
    func usersTableIsTheSeedsFinalSchema(_ backend: Backend) async throws {
        try await TestDatabase.with(backend) { database in
            let (columns, indexes) = try await database.withConnection { sql in
                let inspector = SchemaInspector(sql, dialect: database.dialect)
                return (try await inspector.columns(of: "users"), try await inspector.indexes(of: "users"))
            }
            #expect(
                columns.map(\.name) == [
                    "id", "authorizer_id", "email", "first_name", "last_name", "role", "status", "client_id",
                    "created_at", "updated_at", "last_login_at",
                ])
            let nullable = Set(columns.filter(\.isNullable).map(\.name))
            #expect(nullable == ["first_name", "last_name", "client_id", "last_login_at"])
            #expect(columns.first { $0.name == "role" }?.defaultValue?.contains("'USER'") == true)
            #expect(columns.first { $0.name == "status" }?.defaultValue?.contains("'ACTIVE'") == true)
            for index in ["idx_users_authorizer_id", "idx_users_email", "idx_users_client_id", "idx_users_status"] {
                #expect(indexes.contains(index), "missing \(index)")
            }
        }
    }

    /// The seed's rule: no password, password hash or email-verified flag anywhere.
    @Test(arguments: Backend.available)
    func noTableHoldsAPasswordOrAVerifiedFlag(_ backend: Backend) async throws {
        try await TestDatabase.with(backend) { database in
            let everyColumn = try await database.withConnection { sql in
                let inspector = SchemaInspector(sql, dialect: database.dialect)
                var all: [String] = []
                for table in try await inspector.tables() {
                    all += try await inspector.columns(of: table).map { "\(table).\($0.name)" }
                }
                return all
            }
            #expect(everyColumn.count > 20)
            let forbidden = everyColumn.filter {
                let name = $0.lowercased()
                return ["password", "passwd", "pwd", "email_verified", "emailverified"].contains { name.contains($0) }
            }
            #expect(forbidden.isEmpty, "forbidden columns: \(forbidden)")
        }
    }

    @Test(arguments: Backend.available)
    func rolesAndStatusesAreEnforcedByTheDatabase(_ backend: Backend) async throws {
        try await TestDatabase.with(backend) { database in
            for (column, value) in [("role", "OWNER"), ("status", "BANNED")] {
                await #expect(throws: PlatformDBError.self) {
                    try await database.withConnection { sql in
                        try await sql.raw(
                            """
                            INSERT INTO users (id, authorizer_id, email, \(ident: column), updated_at)
                            VALUES (\(bind: Identifier.make()), \(bind: value), \(bind: value + "@example.com"), \(bind: value), \(bind: Date()))
                            """
                        ).run()
                    }
                }
            }
            // And a row written without role or status gets the seed's defaults.
            let row = try await database.withConnection { sql in
                try await sql.raw(
                    """
                    INSERT INTO users (id, authorizer_id, email, updated_at)
                    VALUES (\(bind: Identifier.make()), 'auth-defaults', 'defaults@example.com', \(bind: Date()))
                    RETURNING role, status
                    """
                ).first()
            }
            #expect(try row?.decode(column: "role", as: String.self) == "USER")
            #expect(try row?.decode(column: "status", as: String.self) == "ACTIVE")
        }
    }

    @Test(arguments: Backend.available)
    func deletingAClientCascadesToItsUsers(_ backend: Backend) async throws {
        try await TestDatabase.with(backend) { database in
            let client = try await TenantStore(database).create(name: "Acme", slug: "acme")
            let user = try await UserStore(database).create(
                NewUser(authorizerID: "auth-1", email: "a@acme.test", role: .admin, tenantID: client.id))
            try await database.withConnection { sql in
                try await sql.delete(from: "clients").where("id", .equal, SQLBind(client.id)).run()
            }
            #expect(try await UserStore(database).find(id: user.id) == nil)
        }
    }

    @Test(arguments: Backend.available)
    func timestampsRoundTripInUTC(_ backend: Backend) async throws {
        try await TestDatabase.with(backend) { database in
            let moment = Date(timeIntervalSince1970: 1_764_640_832)  // 2025-12-02T02:00:32Z
            let user = try await UserStore(database).create(
                NewUser(authorizerID: "auth-t", email: "t@x.test"), now: moment)
            #expect(user.createdAt == moment)
            #expect(try await UserStore(database).find(id: user.id)?.updatedAt == moment)
            if database.dialect == .postgres {
                let text = try await database.withConnection { sql in
                    try await sql.raw("SELECT CAST(created_at AS TEXT) AS t FROM users WHERE id = \(bind: user.id)")
                        .first()?.decode(column: "t", as: String.self)
                }
                #expect(text == "2025-12-02 02:00:32")
            }
        }
    }
}
