import SQLKit

/// The durable webhook inbox, and each Authorizer user's sync state (kept beside `users` so that
/// table keeps the design's original shape).
struct CreateWebhookEvents: Migration {
    let name = "20261129000002_create_webhook_events"

    func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws {
        let now = DDL.now(dialect)
        try await sql.raw(
            """
            CREATE TABLE webhook_events (
              id             TEXT PRIMARY KEY NOT NULL,
              dedupe_key     TEXT NOT NULL UNIQUE,
              event_name     TEXT NOT NULL,
              authorizer_id  TEXT NOT NULL,
              body_hash      TEXT NOT NULL,
              body           TEXT NOT NULL,
              received_at    TIMESTAMP NOT NULL DEFAULT \(unsafeRaw: now),
              status         TEXT NOT NULL DEFAULT 'PENDING',
              attempts       INTEGER NOT NULL DEFAULT 0,
              next_attempt_at TIMESTAMP NOT NULL DEFAULT \(unsafeRaw: now),
              last_error     TEXT,
              applied_at     TIMESTAMP,
              \(unsafeRaw: DDL.check("webhook_events_status_check", "status", in: ["PENDING", "APPLIED", "FAILED"]))
            )
            """
        ).run()
        try await sql.raw(
            "CREATE INDEX idx_webhook_events_pending ON webhook_events(status, next_attempt_at, received_at)"
        ).run()
        try await sql.raw(
            """
            CREATE TABLE user_sync_state (
              authorizer_id          TEXT PRIMARY KEY NOT NULL,
              authorizer_updated_at  BIGINT NOT NULL,
              deleted                BOOLEAN NOT NULL DEFAULT FALSE
            )
            """
        ).run()
    }
}
