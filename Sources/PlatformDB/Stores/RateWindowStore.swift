import Crypto
import Foundation
import SQLKit

/// Attempts counted per key in fixed windows (``CreateRateWindows``), shared by every gateway
/// instance on one PostgreSQL database. Keys are stored as their SHA-256, so the table holds no
/// address or email.
public struct RateWindowStore: Sendable {
    public let database: PlatformDatabase

    /// A store over `database`, which must be PostgreSQL.
    public init(_ database: PlatformDatabase) {
        self.database = database
    }

    /// One key's window after an attempt was counted: the attempts in it, this one included, and
    /// the whole seconds until it ends (at least 1).
    public struct Count: Sendable, Equatable {
        public var attempts: Int
        public var secondsLeft: Int
    }

    /// Counts one attempt against each of `keys` (distinct) in windows of `window` (whole seconds,
    /// at least 1) and returns their counts in the same order: one statement, one round trip. A
    /// window starts at a key's first attempt and ends `window` later, by PostgreSQL's clock, which
    /// every instance shares. Rows are locked in the order of their hashes, so that two calls with
    /// the same keys cannot deadlock. Throws ``PlatformDBError``.
    public func count(_ keys: [String], window: Duration) async throws -> [Count] {
        let hashes = keys.map(Self.hash)
        let seconds = max(1, Int(window.components.seconds))
        let rows = try await database.withConnection { sql in
            try await sql.raw(
                """
                INSERT INTO rate_windows AS w (key_hash, started_at, attempts)
                SELECT k, now(), 1 FROM unnest(\(bind: hashes.sorted())::text[]) AS k
                ON CONFLICT (key_hash) DO UPDATE SET
                  started_at = CASE WHEN w.started_at <= now() - make_interval(secs => \(bind: seconds)) THEN now()
                                    ELSE w.started_at END,
                  attempts = CASE WHEN w.started_at <= now() - make_interval(secs => \(bind: seconds)) THEN 1
                                  ELSE w.attempts + 1 END
                RETURNING key_hash, attempts,
                  ceil(extract(epoch FROM w.started_at + make_interval(secs => \(bind: seconds)) - now()))::int AS seconds_left
                """
            ).all()
        }
        var counts: [String: Count] = [:]
        for row in rows {
            let hash = try row.decode(column: "key_hash", as: String.self)
            counts[hash] = Count(
                attempts: try row.decode(column: "attempts", as: Int.self),
                secondsLeft: max(1, try row.decode(column: "seconds_left", as: Int.self)))
        }
        return try hashes.map { hash in
            guard let count = counts[hash] else { throw PlatformDBError.refused("rate window not counted") }
            return count
        }
    }

    /// Deletes the windows that started before `cutoff`; they can count nothing any more.
    public func sweep(startedBefore cutoff: Date) async throws {
        try await database.withConnection { sql in
            try await sql.delete(from: "rate_windows").where("started_at", .lessThan, SQLBind(cutoff)).run()
        }
    }

    static func hash(_ key: String) -> String {
        SHA256.hash(data: Data(key.utf8)).lowercaseHex
    }
}
