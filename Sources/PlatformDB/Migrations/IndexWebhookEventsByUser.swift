import SQLKit

/// An index on each user's deliveries by arrival: the webhook route reads a user's newest
/// delivery to tell a repeat of it from a real event whose bytes happen to be the same
/// (Authorizer's bodies carry no id and no timestamp: `internal/events/events.go`).
struct IndexWebhookEventsByUser: Migration {
    let name = "20261130000005_index_webhook_events_by_user"

    func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws {
        try await sql.raw("CREATE INDEX idx_webhook_events_user ON webhook_events(authorizer_id, received_at, id)")
            .run()
    }
}
