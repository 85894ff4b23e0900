import SQLKit

/// The design's original migration `20251202020032_update_user_schema_final`: upgrades a FASE 0–4 `users` table
/// (`password_hash`, `email_verified`, nullable `authorizer_id`) to the final shape.
///
/// It refuses, changing nothing, while any row lacks an `authorizer_id`. On a database created in
/// the final shape it does nothing.
struct UpdateUserSchemaFinal: Migration {
    let name = "20251202020032_update_user_schema_final"

    static let deprecatedColumns = ["password_hash", "email_verified"]

    func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws {
        let columns = try await SchemaInspector(sql, dialect: dialect).columns(of: "users")
        let names = Set(columns.map(\.name))
        let authorizerIDNullable = columns.first { $0.name == "authorizer_id" }?.isNullable ?? false
        guard authorizerIDNullable || !names.isDisjoint(with: Self.deprecatedColumns) else { return }

        let unlinked = try await sql.raw("SELECT email FROM users WHERE authorizer_id IS NULL ORDER BY email")
            .all().map { try $0.decode(column: "email", as: String.self) }
        guard unlinked.isEmpty else { throw PlatformDBError.legacyUsersWithoutAuthorizerID(emails: unlinked) }

        switch dialect {
        case .postgres: try await upgradeInPlace(sql, dropping: Self.deprecatedColumns.filter(names.contains))
        case .sqlite: try await rebuild(sql, keeping: names)
        }
        try await CreateUsers.createIndexes(on: sql)
    }

    /// PostgreSQL alters the table in place, as that original migration does, then adds the CHECKs.
    private func upgradeInPlace(_ sql: any SQLDatabase, dropping deprecated: [String]) async throws {
        // Step 1: all users must have an Authorizer account.
        try await sql.raw("ALTER TABLE users ALTER COLUMN authorizer_id SET NOT NULL").run()
        // Step 2: remove the deprecated authentication fields.
        for column in deprecated {
            try await sql.raw("ALTER TABLE users DROP COLUMN \(ident: column)").run()
        }
        // Step 3: default status is ACTIVE, not PENDING_VERIFICATION.
        try await sql.raw("ALTER TABLE users ALTER COLUMN status SET DEFAULT 'ACTIVE'").run()
        // The rest of the final shape: defaults, the cascading tenant key and the CHECKs.
        try await sql.raw("ALTER TABLE users ALTER COLUMN role SET DEFAULT 'USER'").run()
        try await sql.raw("ALTER TABLE users ALTER COLUMN created_at SET DEFAULT NOW()").run()
        let foreignKeys = try await sql.raw(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'users'::regclass AND contype = 'f'"
        ).all().map { try $0.decode(column: "conname", as: String.self) }
        for name in foreignKeys {
            try await sql.raw("ALTER TABLE users DROP CONSTRAINT \(ident: name)").run()
        }
        try await sql.raw(
            "ALTER TABLE users ADD CONSTRAINT fk_client FOREIGN KEY (client_id) REFERENCES clients(id) ON DELETE CASCADE"
        ).run()
        for (name, column, values) in [
            ("users_role_check", "role", Role.allCases.map(\.rawValue)),
            ("users_status_check", "status", UserStatus.allCases.map(\.rawValue)),
        ] {
            try await sql.raw("ALTER TABLE users DROP CONSTRAINT IF EXISTS \(ident: name)").run()
            try await sql.raw("ALTER TABLE users ADD \(unsafeRaw: DDL.check(name, column, in: values))").run()
        }
    }

    /// SQLite cannot alter NOT NULL, defaults or CHECKs, so it rebuilds the table in the final
    /// shape and copies the rows over, the procedure SQLite's documentation prescribes.
    private func rebuild(_ sql: any SQLDatabase, keeping existing: Set<String>) async throws {
        try await CreateUsers.createFinalTable(named: "users_final", on: sql, dialect: .sqlite)
        let kept = [
            "id", "authorizer_id", "email", "first_name", "last_name", "role", "status", "client_id",
            "created_at", "last_login_at",
        ].filter(existing.contains)
        let columns = kept.joined(separator: ", ")
        let updatedAt = existing.contains("updated_at") ? "COALESCE(updated_at, created_at)" : "created_at"
        try await sql.raw(
            """
            INSERT INTO users_final (\(unsafeRaw: columns), updated_at)
            SELECT \(unsafeRaw: columns), \(unsafeRaw: updatedAt) FROM users
            """
        ).run()
        try await sql.raw("DROP TABLE users").run()
        try await sql.raw("ALTER TABLE users_final RENAME TO users").run()
    }
}
