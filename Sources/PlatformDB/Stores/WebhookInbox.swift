import Foundation
import SQLKit

/// The durable inbox of accepted webhook deliveries: committed before the sender gets its 2xx,
/// applied once, in order of arrival.
public struct WebhookInbox: Sendable {
    let database: PlatformDatabase
    let writer: InboxWriter

    public init(_ database: PlatformDatabase) {
        self.database = database
        self.writer = InboxWriter(database)
    }

    /// One stored delivery.
    public struct Event: Sendable, Equatable {
        public var id: String
        public var eventName: String
        public var authorizerID: String
        public var body: String
        public var receivedAt: Date
        public var status: String
        public var attempts: Int
        public var lastError: String?

        init(row: any SQLRow) throws {
            id = try row.decode(column: "id", as: String.self)
            eventName = try row.decode(column: "event_name", as: String.self)
            authorizerID = try row.decode(column: "authorizer_id", as: String.self)
            body = try row.decode(column: "body", as: String.self)
            receivedAt = try row.decode(column: "received_at", as: Date.self)
            status = try row.decode(column: "status", as: String.self)
            attempts = try row.decode(column: "attempts", as: Int.self)
            lastError = try row.decode(column: "last_error", as: String?.self)
        }
    }

    /// Stores a delivery unless its dedupe key (the `webhook-id`, or the body hash) is known.
    /// Returns whether it was new, once the delivery is committed. Deliveries that arrive together
    /// are committed together (``InboxWriter``).
    public func accept(
        eventName: String, authorizerID: String, bodyHash: String, dedupeKey: String, body: String, now: Date = Date()
    ) async throws -> Bool {
        try await writer.accept(
            InboxWriter.Delivery(
                eventName: eventName, authorizerID: authorizerID, bodyHash: bodyHash, dedupeKey: dedupeKey, body: body, now: now))
    }

    /// The newest delivery stored for `authorizerID`: its dedupe key, body hash and arrival.
    public func latest(authorizerID: String) async throws -> (dedupeKey: String, bodyHash: String, receivedAt: Date)? {
        try await database.withConnection { sql in
            guard let row = try await sql.select().columns("dedupe_key", "body_hash", "received_at").from("webhook_events")
                .where("authorizer_id", .equal, SQLBind(authorizerID))
                .orderBy("received_at", .descending).orderBy("id", .descending).limit(1).first()
            else { return nil }
            return (
                try row.decode(column: "dedupe_key", as: String.self), try row.decode(column: "body_hash", as: String.self),
                try row.decode(column: "received_at", as: Date.self)
            )
        }
    }

    /// Claims the oldest due event and runs `apply` on it in one transaction, so several gateway
    /// instances never apply the same event (PostgreSQL: `FOR UPDATE SKIP LOCKED`). Returns false
    /// when nothing is due.
    ///
    /// A failure caused by the event itself (``PlatformDBError/isTransient`` false: a value the
    /// database refuses, a constraint, a body that cannot be decoded) parks it as FAILED at once,
    /// with the reason in `last_error`; any other failure is retried with backoff and parked after
    /// `maxAttempts`. An unavailable database is thrown.
    public func processNext(
        maxAttempts: Int, now: Date = Date(), _ apply: @Sendable (Event, any SQLDatabase) async throws -> Void
    ) async throws -> Bool {
        let dialect = database.dialect
        return try await database.transaction { sql in
            let lock = dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
            guard let row = try await sql.raw(
                """
                SELECT * FROM webhook_events WHERE status = 'PENDING' AND next_attempt_at <= \(bind: now)
                ORDER BY received_at, id LIMIT 1\(unsafeRaw: lock)
                """
            ).first() else { return false }
            let event = try Event(row: row)
            do {
                try await sql.raw("SAVEPOINT apply_event").run()
                try await apply(event, sql)
                try await sql.raw("RELEASE SAVEPOINT apply_event").run()
                try await sql.update("webhook_events")
                    .set("status", to: SQLBind("APPLIED")).set("applied_at", to: SQLBind(now))
                    .set("attempts", to: SQLBind(event.attempts + 1)).set("last_error", to: SQLLiteral.null)
                    .where("id", .equal, SQLBind(event.id)).run()
            } catch {
                // A lost connection fails here too, and is thrown: the event stays as it was.
                try await sql.raw("ROLLBACK TO SAVEPOINT apply_event").run()
                // A body that does not decode is the event's own fault, like a refused value.
                let failure = error is DecodingError ? .invalidValue("the body cannot be decoded") : PlatformDBError.from(error)
                let attempts = event.attempts + 1
                let parked = !failure.isTransient || attempts >= maxAttempts
                let backoff = min(300.0, pow(2.0, Double(attempts)))
                try await sql.update("webhook_events")
                    .set("status", to: SQLBind(parked ? "FAILED" : "PENDING"))
                    .set("attempts", to: SQLBind(attempts))
                    .set("next_attempt_at", to: SQLBind(now.addingTimeInterval(backoff)))
                    .set("last_error", to: SQLBind(String(failure.description.prefix(500))))
                    .where("id", .equal, SQLBind(event.id)).run()
            }
            return true
        }
    }

    /// Claims up to `limit` of the oldest due events and applies them together in one
    /// transaction, marking them applied in one statement. Returns the applied events' names
    /// (none when nothing is due), or the failure of `apply`: then nothing of the batch is kept
    /// and the caller applies the events one at a time (``processNext(maxAttempts:now:_:)``), so
    /// that a bad event is retried alone and the others still go through. An unavailable
    /// database is thrown.
    public func processBatch(
        limit: Int, now: Date = Date(), _ apply: @Sendable ([Event], any SQLDatabase) async throws -> Void
    ) async throws -> Result<[String], any Error> {
        let dialect = database.dialect
        do {
            return .success(try await database.transaction { sql in
                let lock = dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
                let events = try await sql.raw(
                    """
                    SELECT * FROM webhook_events WHERE status = 'PENDING' AND next_attempt_at <= \(bind: now)
                    ORDER BY received_at, id LIMIT \(unsafeRaw: String(limit))\(unsafeRaw: lock)
                    """
                ).all().map(Event.init(row:))
                guard !events.isEmpty else { return [] }
                try await apply(events, sql)
                try await sql.update("webhook_events")
                    .set("status", to: SQLBind("APPLIED")).set("applied_at", to: SQLBind(now))
                    .set("attempts", to: SQLRaw("attempts + 1")).set("last_error", to: SQLLiteral.null)
                    .where(SQLColumn("id"), .in, SQLBind.group(events.map(\.id))).run()
                return events.map(\.eventName)
            })
        } catch let error as PlatformDBError {
            if case .unavailable = error { throw error }
            return .failure(error)
        } catch {
            return .failure(error)
        }
    }

    /// The backlog: how many events wait to be applied, and when the oldest of them arrived.
    public func backlog() async throws -> (pending: Int, oldestReceivedAt: Date?) {
        try await database.withConnection { sql in
            let count = try await sql.raw("SELECT COUNT(*) AS n FROM webhook_events WHERE status = 'PENDING'").first()?
                .decode(column: "n", as: Int.self) ?? 0
            guard count > 0 else { return (0, nil) }
            let oldest = try await sql.raw(
                "SELECT received_at FROM webhook_events WHERE status = 'PENDING' ORDER BY received_at LIMIT 1"
            ).first()?.decode(column: "received_at", as: Date.self)
            return (count, oldest)
        }
    }

    /// When the longest-waiting due event came due, or nil when none is due: an event due for
    /// long has a worker that is not moving (every instance wakes each second).
    public func oldestDue(now: Date = Date()) async throws -> Date? {
        try await database.withConnection { sql in
            try await sql.raw(
                """
                SELECT next_attempt_at FROM webhook_events WHERE status = 'PENDING' AND next_attempt_at <= \(bind: now)
                ORDER BY next_attempt_at LIMIT 1
                """
            ).first()?.decode(column: "next_attempt_at", as: Date.self)
        }
    }

    /// Events by status, oldest first.
    public func events(status: String?, limit: Int = 100) async throws -> [Event] {
        try await database.withConnection { sql in
            var query = sql.select().column("*").from("webhook_events")
            if let status { query = query.where("status", .equal, SQLBind(status)) }
            return try await query.orderBy("received_at").orderBy("id").limit(limit).all().map(Event.init(row:))
        }
    }

    /// Puts a failed event back in the queue.
    public func replay(id: String, now: Date = Date()) async throws -> Bool {
        try await database.withConnection { sql in
            let rows = try await sql.update("webhook_events")
                .set("status", to: SQLBind("PENDING")).set("attempts", to: SQLBind(0))
                .set("next_attempt_at", to: SQLBind(now))
                .where("id", .equal, SQLBind(id)).returning("id").all()
            return !rows.isEmpty
        }
    }
}
