import SQLKit

/// Creates `reports`, owned by a tenant; its index leads with `client_id`.
struct CreateReports: Migration {
    let name = "20261129000001_create_reports"

    func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws {
        let now = DDL.now(dialect)
        try await sql.raw(
            """
            CREATE TABLE reports (
              id           TEXT PRIMARY KEY NOT NULL,
              client_id    TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
              workflow_id  TEXT REFERENCES workflows(id) ON DELETE SET NULL,
              title        TEXT NOT NULL,
              status       TEXT NOT NULL DEFAULT 'PENDING',
              parameters   TEXT NOT NULL DEFAULT '{}',
              content      TEXT,
              created_by   TEXT REFERENCES users(id) ON DELETE SET NULL,
              created_at   TIMESTAMP NOT NULL DEFAULT \(unsafeRaw: now),
              updated_at   TIMESTAMP NOT NULL DEFAULT \(unsafeRaw: now),
              \(unsafeRaw: DDL.check("reports_status_check", "status", in: ReportStatus.allCases.map(\.rawValue)))
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX idx_reports_client_id ON reports(client_id, created_at, id)").run()
    }
}
