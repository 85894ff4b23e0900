import SQLKit

/// Creates `workflows`, owned by a tenant; its index leads with `client_id`.
struct CreateWorkflows: Migration {
    let name = "20261129000000_create_workflows"

    func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws {
        let now = DDL.now(dialect)
        try await sql.raw(
            """
            CREATE TABLE workflows (
              id           TEXT PRIMARY KEY NOT NULL,
              client_id    TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
              name         TEXT NOT NULL,
              description  TEXT,
              status       TEXT NOT NULL DEFAULT 'DRAFT',
              definition   TEXT NOT NULL,
              version      INTEGER NOT NULL DEFAULT 1,
              created_by   TEXT REFERENCES users(id) ON DELETE SET NULL,
              created_at   TIMESTAMP NOT NULL DEFAULT \(unsafeRaw: now),
              updated_at   TIMESTAMP NOT NULL DEFAULT \(unsafeRaw: now),
              CONSTRAINT workflows_name_length CHECK (length(name) BETWEEN 1 AND 200),
              \(unsafeRaw: DDL.check("workflows_status_check", "status", in: WorkflowStatus.allCases.map(\.rawValue)))
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX idx_workflows_client_id ON workflows(client_id, created_at, id)").run()
    }
}
