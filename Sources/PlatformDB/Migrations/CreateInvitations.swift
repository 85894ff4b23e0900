import SQLKit

/// `invitations`: one-time tokens to join a tenant, stored only as a hash.
struct CreateInvitations: Migration {
    let name = "20261129000005_create_invitations"

    func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws {
        try await sql.raw(
            """
            CREATE TABLE invitations (
              id           TEXT PRIMARY KEY NOT NULL,
              client_id    TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
              email        TEXT NOT NULL,
              role         TEXT NOT NULL,
              token_hash   TEXT NOT NULL UNIQUE,
              created_by   TEXT REFERENCES users(id) ON DELETE SET NULL,
              created_at   TIMESTAMP NOT NULL DEFAULT \(unsafeRaw: DDL.now(dialect)),
              expires_at   TIMESTAMP NOT NULL,
              accepted_at  TIMESTAMP,
              accepted_by  TEXT REFERENCES users(id) ON DELETE SET NULL,
              revoked_at   TIMESTAMP,
              \(unsafeRaw: DDL.check("invitations_role_check", "role", in: [Role.user.rawValue, Role.admin.rawValue]))
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX idx_invitations_client_id ON invitations(client_id, created_at)").run()
    }
}
