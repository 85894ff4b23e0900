import Foundation
import SQLKit
import Synchronization

/// Stores webhook deliveries by group commit: deliveries that arrive while a write is under way
/// wait for the next one, which inserts them all in one statement (one commit, one WAL flush).
///
/// Each caller still returns only once its own row is committed, so the inbox's promise (stored
/// before the 2xx) holds. An idle inbox writes a lone delivery at once. A batch that fails while
/// the database answers is written again one delivery at a time, so that one bad delivery fails
/// alone.
final class InboxWriter: Sendable {
    struct Delivery: Sendable {
        var eventName: String
        var authorizerID: String
        var bodyHash: String
        var dedupeKey: String
        var body: String
        var now: Date
    }

    private struct Waiting {
        var delivery: Delivery
        var continuation: CheckedContinuation<Bool, any Error>
    }

    private struct State {
        var waiting: [Waiting] = []
        var writers = 0
    }

    private let database: PlatformDatabase
    private let state = Mutex(State())
    /// Insert statements sent, for tests that check deliveries were grouped.
    let statements = Atomic<Int>(0)
    /// Writes that may run at once: PostgreSQL overlaps one batch's commit with the next batch's
    /// insert; SQLite has one connection.
    private let maxWriters: Int
    /// Rows per statement; each has 9 parameters, well below either database's limit.
    static let maxBatch = 256

    init(_ database: PlatformDatabase) {
        self.database = database
        self.maxWriters = database.dialect == .postgres ? 2 : 1
    }

    /// Stores `delivery` unless its dedupe key is known; returns whether it was new.
    func accept(_ delivery: Delivery) async throws -> Bool {
        try await withCheckedThrowingContinuation { continuation in
            let startWriter = state.withLock { state in
                state.waiting.append(Waiting(delivery: delivery, continuation: continuation))
                guard state.writers < maxWriters else { return false }
                state.writers += 1
                return true
            }
            if startWriter { Task { await self.drain() } }
        }
    }

    /// Writes batches until nobody waits. Taking the last batch and retiring happen under one
    /// lock, so a delivery is never left waiting without a writer.
    private func drain() async {
        while true {
            let batch: [Waiting] = state.withLock { state in
                let count = min(state.waiting.count, Self.maxBatch)
                if count == 0 { state.writers -= 1 }
                defer { state.waiting.removeFirst(count) }
                return Array(state.waiting.prefix(count))
            }
            if batch.isEmpty { return }
            await write(batch)
        }
    }

    private func write(_ batch: [Waiting]) async {
        do {
            Self.resume(batch, inserted: try await insert(batch.map(\.delivery)))
        } catch {
            // A delivery the database refuses must not fail the others: unless the database is
            // down, they are written again one at a time.
            guard batch.count > 1, await database.ping() else {
                for waiting in batch { waiting.continuation.resume(throwing: error) }
                return
            }
            for waiting in batch {
                do {
                    Self.resume([waiting], inserted: try await insert([waiting.delivery]))
                } catch {
                    waiting.continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Each dedupe key the statement inserted is new for the first delivery of the batch that
    /// carries it; a later one with the same key is a duplicate, as it would be one by one.
    private static func resume(_ batch: [Waiting], inserted: Set<String>) {
        var fresh = inserted
        for waiting in batch {
            waiting.continuation.resume(returning: fresh.remove(waiting.delivery.dedupeKey) != nil)
        }
    }

    /// One multi-row insert; returns the dedupe keys it stored.
    private func insert(_ deliveries: [Delivery]) async throws -> Set<String> {
        statements.add(1, ordering: .relaxed)
        return try await database.withConnection { sql in
            // SQL text rather than the builder: its identifier quoting was 8% of ingest CPU.
            var rows: [any SQLExpression] = []
            rows.reserveCapacity(deliveries.count)
            for delivery in deliveries {
                rows.append(
                    SQLQueryString(
                        """
                        (\(bind: Identifier.make(now: delivery.now)), \(bind: delivery.dedupeKey), \(bind: delivery.eventName), \
                        \(bind: delivery.authorizerID), \(bind: delivery.bodyHash), \(bind: delivery.body), \(bind: delivery.now), \
                        'PENDING', \(bind: delivery.now))
                        """))
            }
            let returned = try await sql.raw(
                """
                INSERT INTO webhook_events (id, dedupe_key, event_name, authorizer_id, body_hash, body, received_at, status, next_attempt_at)
                VALUES \(SQLList(rows)) ON CONFLICT (dedupe_key) DO NOTHING RETURNING dedupe_key
                """
            ).all()
            return Set(try returned.map { try $0.decode(column: "dedupe_key", as: String.self) })
        }
    }
}
