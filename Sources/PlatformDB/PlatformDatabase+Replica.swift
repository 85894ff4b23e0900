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
    /// `pg_current_wal_insert_lsn()`, past every commit even with `synchronous_commit = off`, against the standby's `pg_last_wal_replay_lsn()`), waiting up to
    /// `topology.replicaWait`.
    private func replicaCaughtUp(_ replica: PlatformDatabase) async -> Bool {
        if let until = replicaDownUntil.withLock({ $0 }), ContinuousClock.now < until { return false }
        let deadline = ContinuousClock.now + topology.replicaWait
        do {
            let position = try await withConnection { sql in
                try await sql.raw("SELECT pg_current_wal_insert_lsn()::text AS lsn").first()?.decode(
                    column: "lsn", as: String.self)
            }
            guard let position else { return false }
            while true {
                let replayed = try await replica.withConnection(leaseTimeout: topology.replicaWait) { sql in
                    try await sql.raw(
                        "SELECT coalesce(pg_last_wal_replay_lsn() >= \(bind: position)::pg_lsn, false) AS done"
                    ).first()?.decode(column: "done", as: Bool.self)
                }
                if replayed == true { return true }
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

    private func replicaFailed(_ error: PlatformDBError) {
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
