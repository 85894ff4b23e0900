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
        /// The body as a typed event, or why it is not one.
        public var decoded: Result<UserEvent, UserEvent.Refusal> {
            Result { () throws(UserEvent.Refusal) in try UserEvent(body: Data(body.utf8), pathEvent: eventName) }
        }

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
                eventName: eventName, authorizerID: authorizerID, bodyHash: bodyHash, dedupeKey: dedupeKey, body: body,
                now: now))
    }

    /// The newest delivery stored for `authorizerID`: its dedupe key, body hash and arrival.
    public func latest(authorizerID: String) async throws -> (dedupeKey: String, bodyHash: String, receivedAt: Date)? {
        try await database.withConnection { sql in
            guard
                let row = try await sql.select().columns("dedupe_key", "body_hash", "received_at").from(
                    "webhook_events"
                )
                .where("authorizer_id", .equal, SQLBind(authorizerID))
                .orderBy("received_at", .descending).orderBy("id", .descending).limit(1).first()
            else { return nil }
            return (
                try row.decode(column: "dedupe_key", as: String.self),
                try row.decode(column: "body_hash", as: String.self),
                try row.decode(column: "received_at", as: Date.self)
            )
        }
    }

    /// What one ``process(limit:maxAttempts:now:_:)`` did.
    public struct Processed<Outcome: Sendable>: Sendable {
        /// The names of the events applied, in order.
        public var applied: [String] = []
        /// The names of the events that failed: retried later, or parked as FAILED.
        public var failed: [String] = []
        /// What each successful `apply` returned (one for the batch, or one per event).
        public var outcomes: [Outcome] = []
        /// Whether any event was due.
        public var isEmpty: Bool { applied.isEmpty && failed.isEmpty }
    }

    /// Claims up to `limit` of the oldest due events and applies them in one transaction, so
    /// several gateway instances never apply the same event (PostgreSQL: `FOR UPDATE SKIP LOCKED`).
    ///
    /// `prepare` runs first, outside any savepoint (the caller takes its locks there). The events
    /// are applied together first (one `apply`, one statement marking them applied).
    /// If that fails, each is applied alone in its own savepoint, so that only a bad event waits:
    /// a failure caused by the event itself (``PlatformDBError/isTransient`` false: a value the
    /// database refuses, a constraint, a body that is not an event) parks it as FAILED at once,
    /// with the reason in `last_error`; any other failure is retried with backoff and parked after
    /// `maxAttempts`. An unavailable database is thrown, and the events stay as they were.
    public func process<Outcome: Sendable>(
        limit: Int, maxAttempts: Int, now: Date = Date(),
        prepare: @Sendable ([UserSyncStore.Received], any SQLDatabase) async throws -> Void = { _, _ in },
        _ apply: @Sendable ([UserSyncStore.Received], any SQLDatabase) async throws -> Outcome
    ) async throws -> Processed<Outcome> {
        let dialect = database.dialect
        return try await database.transaction { sql in
            let lock = dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
            let events = try await sql.raw(
                """
                SELECT * FROM webhook_events WHERE status = 'PENDING' AND next_attempt_at <= \(bind: now)
                ORDER BY received_at, id LIMIT \(unsafeRaw: String(limit))\(unsafeRaw: lock)
                """
            ).all().map(Event.init(row:))
            var processed = Processed<Outcome>()
            var decoded: [(Event, UserSyncStore.Received)] = []
            for event in events {
                switch event.decoded {
                case .success(let userEvent): decoded.append((event, (userEvent, event.receivedAt)))
                case .failure(let refusal):
                    // A body that is not an event is the event's own fault, like a refused value.
                    try await fail(
                        event, .invalidValue("the body cannot be decoded: \(refusal)"), maxAttempts, now, sql)
                    processed.failed.append(event.eventName)
                }
            }
            guard !decoded.isEmpty else { return processed }
            // Outside every savepoint, so that what it takes (the users' locks) holds for the
            // whole transaction, the one-at-a-time pass included.
            try await prepare(decoded.map(\.1), sql)
            if case .success(let outcome) = try await Self.savepoint(
                on: sql, { try await apply(decoded.map(\.1), sql) })
            {
                try await markApplied(decoded.map(\.0), now, sql)
                processed.outcomes.append(outcome)
                processed.applied += decoded.map(\.0.eventName)
                return processed
            }
            for (event, received) in decoded {
                switch try await Self.savepoint(on: sql, { try await apply([received], sql) }) {
                case .success(let outcome):
                    try await markApplied([event], now, sql)
                    processed.outcomes.append(outcome)
                    processed.applied.append(event.eventName)
                case .failure(let error):
                    try await fail(event, PlatformDBError.from(error), maxAttempts, now, sql)
                    processed.failed.append(event.eventName)
                }
            }
            return processed
        }
    }

    /// `body` in a savepoint: its failure is returned, the savepoint rolled back so that the
    /// transaction stays usable. A savepoint that cannot be rolled back (the connection is gone)
    /// is thrown.
    private static func savepoint<T>(
        on sql: any SQLDatabase, _ body: () async throws -> T
    ) async throws -> Result<T, any Error> {
        try await sql.raw("SAVEPOINT apply_events").run()
        do {
            let result = try await body()
            try await sql.raw("RELEASE SAVEPOINT apply_events").run()
            return .success(result)
        } catch {
            try await sql.raw("ROLLBACK TO SAVEPOINT apply_events").run()
            try await sql.raw("RELEASE SAVEPOINT apply_events").run()
            return .failure(error)
        }
    }

    private func markApplied(_ events: [Event], _ now: Date, _ sql: any SQLDatabase) async throws {
        try await sql.update("webhook_events")
            .set("status", to: SQLBind("APPLIED")).set("applied_at", to: SQLBind(now))
            .set("attempts", to: SQLRaw("attempts + 1")).set("last_error", to: SQLLiteral.null)
            .where(SQLColumn("id"), .in, SQLBind.group(events.map(\.id))).run()
    }

    /// Parks `event` as FAILED when `failure` is its own fault or its attempts are spent; else it
    /// is due again after a backoff of 2^attempts seconds (at most 5 minutes).
    private func fail(
        _ event: Event, _ failure: PlatformDBError, _ maxAttempts: Int, _ now: Date, _ sql: any SQLDatabase
    ) async throws {
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

    /// The backlog: how many events wait to be applied, and when the oldest of them arrived.
    public func backlog() async throws -> (pending: Int, oldestReceivedAt: Date?) {
        try await database.withConnection { sql in
            let count =
                try await sql.raw("SELECT COUNT(*) AS n FROM webhook_events WHERE status = 'PENDING'").first()?
                .decode(column: "n", as: Int.self) ?? 0
            guard count > 0 else { return (0, nil) }
            let oldest = try await sql.raw(
                "SELECT received_at FROM webhook_events WHERE status = 'PENDING' ORDER BY received_at LIMIT 1"
            ).first()?.decode(column: "received_at", as: Date.self)
            return (count, oldest)
        }
    }

    /// Blanks the body of up to `limit` events applied before `cutoff` and returns how many: a body
    /// holds personal data (names, emails), and once applied it is not needed. The row stays, with
    /// its dedupe key and body hash, so that a late redelivery is still recognised.
    public func pruneBodies(appliedBefore cutoff: Date, limit: Int = 1000) async throws -> Int {
        try await database.withConnection { sql in
            try await sql.raw(
                """
                UPDATE webhook_events SET body = '' WHERE id IN (
                  SELECT id FROM webhook_events WHERE status = 'APPLIED' AND body <> '' AND applied_at < \(bind: cutoff)
                  LIMIT \(unsafeRaw: String(max(1, limit))))
                RETURNING id
                """
            ).all().count
        }
    }

    /// How many events are parked as FAILED, waiting for an operator (`platform webhooks replay`).
    public func failedCount() async throws -> Int {
        try await database.withConnection { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM webhook_events WHERE status = 'FAILED'").first()?
                .decode(column: "n", as: Int.self) ?? 0
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

    /// Puts a failed event back in the queue; false when there is no such event, or its body was
    /// pruned after it was applied (``pruneBodies(appliedBefore:limit:)``), so there is nothing to apply.
    public func replay(id: String, now: Date = Date()) async throws -> Bool {
        try await database.withConnection { sql in
            let rows = try await sql.update("webhook_events")
                .set("status", to: SQLBind("PENDING")).set("attempts", to: SQLBind(0))
                .set("next_attempt_at", to: SQLBind(now))
                .where("id", .equal, SQLBind(id)).where("body", .notEqual, SQLBind("")).returning("id").all()
            return !rows.isEmpty
        }
    }
}
