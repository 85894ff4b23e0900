import Foundation
import SQLKit
import Synchronization

/// Reads on a streaming replica (`--database-read-url`), with read-your-writes across instances.
extension PlatformDatabase {
    /// Runs the read `body` on the replica once it has replayed everything the primary had
    /// committed when the read began, so that a caller reads its own writes whichever instance
    /// made them; otherwise on this primary: without a replica, when the replica is more than
    /// `topology.replicaWait` behind, when it is down (then left alone for a second), or when the
    /// read fails there. `body` must only read: it may run twice.
    public func read<T: Sendable>(_ body: (PlatformDatabase) async throws -> T) async throws -> T {
        guard let replica else { return try await body(self) }
        guard await replicaCaughtUp(replica) else {
            primaryReads.add(1, ordering: .relaxed)
            return try await body(self)
        }
        do {
            let result = try await body(replica)
            replicaReads.add(1, ordering: .relaxed)
            return result
        } catch let error as PlatformDBError {
            replicaFailed(error)
            primaryReads.add(1, ordering: .relaxed)
            return try await body(self)
        }
    }

    /// Reads answered by the replica and by the primary since start, while a replica is configured
    /// (both 0 without one).
    public var readsServed: (replica: Int, primary: Int) {
        (replicaReads.load(ordering: .relaxed), primaryReads.load(ordering: .relaxed))
    }

    /// Whether the replica has replayed the primary's WAL position of now (PostgreSQL's
    /// `pg_current_wal_insert_lsn()`, past every commit even with `synchronous_commit = off`,
    /// against the standby's `pg_last_wal_replay_lsn()`), waiting up to `topology.replicaWait`. The
    /// furthest position the replica was seen to have replayed is kept, so while the primary takes
    /// no writes a read asks the replica nothing more.
    private func replicaCaughtUp(_ replica: PlatformDatabase) async -> Bool {
        if let until = replicaDownUntil.withLock({ $0 }), ContinuousClock.now < until { return false }
        let deadline = ContinuousClock.now + topology.replicaWait
        do {
            let text = try await withConnection { sql in
                try await sql.raw("SELECT pg_current_wal_insert_lsn()::text AS lsn").first()?.decode(
                    column: "lsn", as: String.self)
            }
            guard let target = text.flatMap(Self.walPosition) else { return false }
            while true {
                if replicaReplayed.load(ordering: .relaxed) >= target { return true }
                let replayed = try await replica.withConnection(leaseTimeout: topology.replicaWait) { sql in
                    try await sql.raw("SELECT pg_last_wal_replay_lsn()::text AS lsn").first()?.decode(
                        column: "lsn", as: String?.self)
                }
                if let position = replayed.flatMap(Self.walPosition) {
                    replicaReplayed.max(position, ordering: .relaxed)
                    if position >= target { return true }
                }
                guard ContinuousClock.now < deadline else { return false }
                try await Task.sleep(for: .milliseconds(2))
            }
        } catch let error as PlatformDBError {
            replicaFailed(error)
            return false
        } catch {
            return false
        }
    }

    /// A WAL position written as PostgreSQL writes a `pg_lsn` (`16/B374D848`), as one number.
    static func walPosition(_ text: String) -> UInt64? {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let high = UInt64(parts[0], radix: 16), let low = UInt64(parts[1], radix: 16),
            high <= UInt64(UInt32.max), low <= UInt64(UInt32.max)
        else { return nil }
        return high << 32 | low
    }

    private func replicaFailed(_ error: PlatformDBError) {
        // What comes back may be another replica, behind the one that failed: learn it again.
        replicaReplayed.store(0, ordering: .relaxed)
        let first = replicaDownUntil.withLock { until in
            defer { until = ContinuousClock.now + .seconds(1) }
            return until.map { ContinuousClock.now >= $0 } ?? true
        }
        if first {
            logger.warning(
                "the read replica failed; reads go to the primary for a second",
                metadata: ["error": "\(PlatformDBError.describe(error))"])
        }
    }
}
