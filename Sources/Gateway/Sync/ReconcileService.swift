import AuthorizerClient
import Foundation
import Logging
import Metrics
import PlatformDB
import SQLKit
import ServiceLifecycle

/// The scheduled reconcile inside `serve`: every `interval`, by one instance at a time (a
/// PostgreSQL advisory lock held for the run).
struct ReconcileService: Service {
    let reconciler: Reconciler
    let database: PlatformDatabase
    let interval: Duration
    let logger: Logger
    static let lockKey = 7_326_091_002
    /// Who the scheduled runs are in the audit log.
    static let actor = "scheduler"

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled else { return }
                do {
                    try await runOnce()
                } catch {
                    logger.warning(
                        "scheduled reconcile failed", metadata: ["error": "\(PlatformDBError.describe(error))"])
                }
            }
        }
    }

    func runOnce() async throws {
        guard database.dialect == .postgres else {
            _ = try await reconciler.run(dryRun: false, actor: Self.actor)
            return
        }
        let reconciler = self.reconciler
        try await database.transaction { sql in
            let locked =
                try await sql.raw("SELECT pg_try_advisory_xact_lock(\(unsafeRaw: String(Self.lockKey))) AS locked")
                .first()?.decode(column: "locked", as: Bool.self) ?? false
            guard locked else { return }
            _ = try await reconciler.run(dryRun: false, actor: Self.actor)
        }
    }
}

extension ReconcileService: CustomStringConvertible {
    /// What service lifecycle logs: the name only, never the client and its secrets.
    var description: String { "ReconcileService" }
}
