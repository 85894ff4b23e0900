import Metrics
import PlatformDB
import ServiceLifecycle

/// The PostgreSQL pool as metrics, sampled each second: `database_pool_size` (the most connections
/// this instance opens, `--database-pool-size`), `database_pool_connections_in_use` (leased now)
/// and `database_pool_wait_timeouts_total` (callers that waited past the lease timeout and were
/// answered 503). Instances × pool size must stay under PostgreSQL's `max_connections`.
struct PoolMetrics: Service {
    let database: PlatformDatabase

    func run() async throws {
        let size = Gauge(label: "database_pool_size")
        let inUse = Gauge(label: "database_pool_connections_in_use")
        let timeouts = Counter(label: "database_pool_wait_timeouts_total")
        size.record(database.poolSize)
        var counted = 0
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            inUse.record(database.connectionsInUse)
            let total = database.connectionWaitTimeouts
            if total > counted {
                timeouts.increment(by: total - counted)
                counted = total
            }
            _ = try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
        }
    }
}
