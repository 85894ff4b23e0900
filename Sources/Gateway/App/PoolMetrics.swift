import Metrics
import PlatformDB
import ServiceLifecycle

/// The PostgreSQL pool as metrics, sampled each second: `database_pool_size` (the most connections
/// this instance opens, `--database-pool-size`), `database_pool_connections_in_use` (leased now)
/// and `database_pool_wait_timeouts_total` (callers that waited past the lease timeout and were
/// answered 503), and with a read replica `database_reads_total` by `on` (`replica`, `primary`).
/// Instances × pool size must stay under PostgreSQL's `max_connections`.
struct PoolMetrics: Service {
    let database: PlatformDatabase

    func run() async throws {
        let size = Gauge(label: "database_pool_size")
        let inUse = Gauge(label: "database_pool_connections_in_use")
        let timeouts = Counter(label: "database_pool_wait_timeouts_total")
        size.record(database.poolSize)
        let onReplica = Counter(label: "database_reads_total", dimensions: [("on", "replica")])
        let onPrimary = Counter(label: "database_reads_total", dimensions: [("on", "primary")])
        var counted = 0
        var reads = (replica: 0, primary: 0)
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            inUse.record(database.connectionsInUse)
            let total = database.connectionWaitTimeouts
            if total > counted {
                timeouts.increment(by: total - counted)
                counted = total
            }
            let served = database.readsServed
            if served.replica > reads.replica { onReplica.increment(by: served.replica - reads.replica) }
            if served.primary > reads.primary { onPrimary.increment(by: served.primary - reads.primary) }
            reads = served
            _ = try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
        }
    }
}
