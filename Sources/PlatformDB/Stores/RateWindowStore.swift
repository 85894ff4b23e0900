import Crypto
import Foundation
import SQLKit

/// Attempts counted per key in fixed windows (``CreateRateWindows``), shared by every gateway
/// instance on one PostgreSQL database. Keys are stored as their SHA-256 rather than as text (a
/// short key, such as an IPv4 address, could still be found by trying every candidate).
public struct RateWindowStore: Sendable {
    public let database: PlatformDatabase

    /// A store over `database`, which must be PostgreSQL.
    public init(_ database: PlatformDatabase) {
        self.database = database
    }

    /// One key's window after an attempt was counted: the attempts in it, this one included, and
    /// the time until it ends, by PostgreSQL's clock.
    public struct Count: Sendable, Equatable {
        public var attempts: Int
        public var remaining: Duration
        /// Whole seconds until the window ends, at least 1 (for `Retry-After`).
        public var secondsLeft: Int {
            max(1, Int(remaining.components.seconds) + (remaining.components.attoseconds > 0 ? 1 : 0))
        }
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
                  extract(epoch FROM w.started_at + make_interval(secs => \(bind: seconds)) - now())::float8 AS remaining
                """
            ).all()
        }
        var counts: [String: Count] = [:]
        for row in rows {
            let hash = try row.decode(column: "key_hash", as: String.self)
            counts[hash] = Count(
                attempts: try row.decode(column: "attempts", as: Int.self),
                remaining: .milliseconds(max(0, Int(try row.decode(column: "remaining", as: Double.self) * 1000))))
        }
        return try hashes.map { hash in
            guard let count = counts[hash] else { throw PlatformDBError.refused("rate window not counted") }
            return count
        }
    }

    /// Deletes the windows that started more than `age` ago by PostgreSQL's clock (the one that
    /// started them); they can count nothing any more. Rows are locked in the order counts lock
    /// them, and rows a count holds are left for the next sweep, so a sweep never deadlocks one.
    public func sweep(olderThan age: Duration) async throws {
        try await database.withConnection { sql in
            try await sql.raw(
                """
                DELETE FROM rate_windows WHERE key_hash IN (
                  SELECT key_hash FROM rate_windows
                  WHERE started_at < now() - make_interval(secs => \(bind: Double(age.components.seconds)))
                  ORDER BY key_hash FOR UPDATE SKIP LOCKED)
                """
            ).run()
        }
    }

    static func hash(_ key: String) -> String {
        SHA256.hash(data: Data(key.utf8)).lowercaseHex
    }
}
