import SQLKit

/// PostgreSQL only: `rate_windows`, the attempts counted per key (a route with a client address
/// or an email, stored as its SHA-256) in fixed windows, shared by every gateway instance on the
/// database so that a limit is the configured number however many instances there are (issue 23).
/// `UNLOGGED`: the counts are worth no WAL, and a crash that empties them only forgives the
/// attempts of the current minute. SQLite has one gateway, which counts in memory.
struct CreateRateWindows: Migration {
    let name = "20261130000012_create_rate_windows"

    func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws {
        guard dialect == .postgres else { return }
        try await sql.raw(
            """
            CREATE UNLOGGED TABLE rate_windows (
              key_hash     TEXT PRIMARY KEY,
              started_at   TIMESTAMPTZ NOT NULL,
              attempts     INTEGER NOT NULL
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX rate_windows_started ON rate_windows (started_at)").run()
        try await sql.raw("REVOKE ALL ON rate_windows FROM PUBLIC").run()
        try await sql.raw("GRANT SELECT, INSERT, UPDATE, DELETE ON rate_windows TO platform_app").run()
    }
}
