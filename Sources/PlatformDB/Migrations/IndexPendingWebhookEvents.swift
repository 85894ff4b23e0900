import SQLKit

/// The worker claims the oldest due event (`ORDER BY received_at, id LIMIT 1` among pending ones).
/// The first index of the inbox led with `next_attempt_at`, so every claim sorted the whole
/// backlog: with 10,000 events waiting the worker applied under 100 a second. This partial index
/// is in claim order and holds pending events only, so a claim reads one entry.
struct IndexPendingWebhookEvents: Migration {
    let name = "20261129000008_index_pending_webhook_events"

    func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws {
        try await sql.raw(
            "CREATE INDEX idx_webhook_events_claim ON webhook_events(received_at, id) WHERE status = 'PENDING'"
        ).run()
    }
}
