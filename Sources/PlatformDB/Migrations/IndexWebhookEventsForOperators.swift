import SQLKit

/// Two partial indexes for what runs each second or each hour on every instance, so that neither
/// reads the whole inbox: the count of parked (FAILED) events, for `/readyz` and the
/// `webhook_inbox_failed` gauge, and the applied events whose body is still kept, for the
/// retention that blanks bodies older than `--webhook-retention-days` (``WebhookInbox/pruneBodies(appliedBefore:limit:)``).
struct IndexWebhookEventsForOperators: Migration {
    let name = "20261130000007_index_webhook_events_for_operators"

    func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws {
        try await sql.raw(
            "CREATE INDEX idx_webhook_events_failed ON webhook_events(received_at) WHERE status = 'FAILED'"
        )
        .run()
        try await sql.raw(
            "CREATE INDEX idx_webhook_events_kept_bodies ON webhook_events(applied_at) WHERE status = 'APPLIED' AND body <> ''"
        ).run()
    }
}
