import SQLKit

/// Creates `clients`, the tenants.
struct CreateClients: Migration {
    let name = "20251101000000_create_clients"

    func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws {
        let now = DDL.now(dialect)
        try await sql.raw(
            """
            CREATE TABLE IF NOT EXISTS clients (
              id          TEXT PRIMARY KEY NOT NULL,
              name        TEXT NOT NULL,
              slug        TEXT NOT NULL UNIQUE,
              status      TEXT NOT NULL DEFAULT 'ACTIVE',
              created_at  TIMESTAMP NOT NULL DEFAULT \(unsafeRaw: now),
              updated_at  TIMESTAMP NOT NULL DEFAULT \(unsafeRaw: now),
              \(unsafeRaw: DDL.check("clients_status_check", "status", in: TenantStatus.allCases.map(\.rawValue)))
            )
            """
        ).run()
    }
}
