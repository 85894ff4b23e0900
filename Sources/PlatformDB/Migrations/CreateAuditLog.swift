import SQLKit

/// `audit_log`: who did what to whom, and when. Tenant events carry `client_id`; platform-wide
/// ones (a refused webhook) have none.
struct CreateAuditLog: Migration {
    let name = "20261129000004_create_audit_log"

    func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws {
        try await sql.raw(
            """
            CREATE TABLE audit_log (
              id          TEXT PRIMARY KEY NOT NULL,
              client_id   TEXT REFERENCES clients(id) ON DELETE CASCADE,
              actor       TEXT NOT NULL,
              action      TEXT NOT NULL,
              target      TEXT,
              detail      TEXT,
              created_at  TIMESTAMP NOT NULL DEFAULT \(unsafeRaw: DDL.now(dialect))
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX idx_audit_log_client_id ON audit_log(client_id, created_at)").run()
    }
}
