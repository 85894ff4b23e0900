import SQLKit

/// PostgreSQL only: the application role `platform_app` gets exactly what the gateway does, and
/// nothing it does not (docs/operations.md, "PostgreSQL roles"). The gateway connects as
/// `platform_app`, or as a login role that is a member of it (`GRANT platform_app TO gw1`).
///
/// | table | the gateway |
/// |---|---|
/// | `clients`, `users`, `invitations`, `user_sync_state` | reads, inserts, updates (users are soft-deleted) |
/// | `workflows`, `reports`, `signup_intents`, `webhook_events` | reads, inserts, updates, deletes |
/// | `audit_log` | reads and appends: no entry is changed or removed |
/// | `platform_migrations` | reads, to check the schema version: only the owner migrates |
///
/// No `TRUNCATE`, `REFERENCES`, `TRIGGER` or DDL on any table. Earlier setups granted every table
/// to `platform_app` by default privileges; those grants and defaults are revoked first. The role
/// is created (without login) when missing and the migrating role may create roles; otherwise the
/// migration refuses and says to create it. Each later migration that adds a table grants it here
/// in the same way.
struct GrantApplicationRole: Migration {
    let name = "20261130000006_grant_application_role"

    static let role = "platform_app"
    static let grants: [(privileges: String, tables: [String])] = [
        ("SELECT, INSERT, UPDATE", ["clients", "users", "invitations", "user_sync_state"]),
        ("SELECT, INSERT, UPDATE, DELETE", ["workflows", "reports", "signup_intents", "webhook_events"]),
        ("SELECT, INSERT", ["audit_log"]),
        ("SELECT", ["platform_migrations"]),
    ]

    func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws {
        guard dialect == .postgres else { return }
        try await sql.raw(
            """
            DO $$ BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'platform_app') THEN
                BEGIN
                  CREATE ROLE platform_app NOLOGIN NOBYPASSRLS;
                EXCEPTION
                  WHEN duplicate_object OR unique_violation THEN NULL;
                  WHEN insufficient_privilege THEN
                    RAISE EXCEPTION 'the role platform_app does not exist and this role may not create it: create it first (CREATE ROLE platform_app LOGIN PASSWORD ''...'' NOBYPASSRLS, docs/operations.md), then migrate again';
                END;
              END IF;
            END $$
            """
        ).run()
        let tables = Self.grants.flatMap(\.tables).joined(separator: ", ")
        try await sql.raw("REVOKE ALL ON \(unsafeRaw: tables) FROM platform_app").run()
        try await sql.raw("ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM platform_app").run()
        try await sql.raw("GRANT USAGE ON SCHEMA public TO platform_app").run()
        for grant in Self.grants {
            try await sql.raw(
                "GRANT \(unsafeRaw: grant.privileges) ON \(unsafeRaw: grant.tables.joined(separator: ", ")) TO platform_app"
            ).run()
        }
    }
}
