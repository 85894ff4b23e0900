import SQLKit

/// Creates `users` in the design's final shape. A database that already has a `users` table (the
/// deprecated FASE 0–4 shape) keeps it here; ``UpdateUserSchemaFinal`` upgrades it next.
struct CreateUsers: Migration {
    let name = "20251101000001_create_users"

    func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws {
        guard try await !SchemaInspector(sql, dialect: dialect).hasTable("users") else { return }
        try await Self.createFinalTable(named: "users", on: sql, dialect: dialect)
        try await Self.createIndexes(on: sql)
    }

    /// The final `users` table of the design, plus CHECKs for roles and statuses.
    static func createFinalTable(named table: String, on sql: any SQLDatabase, dialect: SQLDialectKind) async throws {
        try await sql.raw(
            """
            CREATE TABLE \(ident: table) (
              id              TEXT PRIMARY KEY NOT NULL,  -- NOT NULL: SQLite lets a TEXT primary key be NULL
              authorizer_id   TEXT NOT NULL UNIQUE,
              email           TEXT NOT NULL UNIQUE,
              first_name      TEXT,
              last_name       TEXT,
              role            TEXT NOT NULL DEFAULT 'USER',
              status          TEXT NOT NULL DEFAULT 'ACTIVE',
              client_id       TEXT,
              created_at      TIMESTAMP NOT NULL DEFAULT \(unsafeRaw: DDL.now(dialect)),
              updated_at      TIMESTAMP NOT NULL,
              last_login_at   TIMESTAMP,
              CONSTRAINT fk_client FOREIGN KEY (client_id) REFERENCES clients(id) ON DELETE CASCADE,
              \(unsafeRaw: DDL.check("users_role_check", "role", in: Role.allCases.map(\.rawValue))),
              \(unsafeRaw: DDL.check("users_status_check", "status", in: UserStatus.allCases.map(\.rawValue)))
            )
            """
        ).run()
    }

    /// The design's four named indexes.
    static func createIndexes(on sql: any SQLDatabase) async throws {
        try await sql.raw("CREATE UNIQUE INDEX IF NOT EXISTS idx_users_authorizer_id ON users(authorizer_id)").run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS idx_users_email ON users(email)").run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS idx_users_client_id ON users(client_id)").run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS idx_users_status ON users(status)").run()
    }
}
