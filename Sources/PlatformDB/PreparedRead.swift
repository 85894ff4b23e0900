import Logging
import NIOCore
import PostgresNIO

/// Hot reads of a fixed shape run on PostgreSQL as prepared statements: PostgresNIO then parses
/// and plans them once per connection instead of on every request, which was most of
/// PostgreSQL's CPU on `GET /workflows` (`pgbench` on that statement: 10,865 tps unnamed against
/// 28,769 prepared), and rows decode by position instead of through `Decodable` by column name.
///
/// PostgresNIO's `execute(_:)` for prepared statements writes to the channel without a promise,
/// like its queries (see ``LeasedConnectionSQL``): sent after the channel closed, it would never
/// be answered. So it runs with the connection's event loop as its task executor, where the
/// check that the channel is open and the write happen in one turn of the loop. Should the task
/// not be on that loop, the read reports nil and the caller runs its SQLKit read instead.
extension PlatformDatabase {
    /// The rows of `statement` on PostgreSQL; nil on SQLite and in the case above, where the caller
    /// runs the same read through SQLKit. Through a transaction-mode pooler the statement is not
    /// named (parsed, bound and run in one round trip): one prepared on a server connection would
    /// be unknown on the next one the pooler gives.
    func prepared<Statement: PostgresPreparedStatement>(_ statement: Statement) async throws -> [Statement.Row]?
    where Statement.Row: Sendable {
        guard let client = postgresClient else { return nil }
        let unnamed = topology.transactionPooling
        do {
            let lease = try await Self.lease(from: client, within: Self.leaseTimeout)
            defer { lease.release() }
            let connection = lease.connection
            let logger = self.logger
            return try await withTaskExecutorPreference(EventLoopTaskExecutor(connection.eventLoop)) {
                guard connection.eventLoop.inEventLoop else { return nil }
                guard !connection.isClosed else {
                    throw PlatformDBError.unavailable("the PostgreSQL connection has closed")
                }
                var rows: [Statement.Row] = []
                if unnamed {
                    let query = PostgresQuery(unsafeSQL: Statement.sql, binds: try statement.makeBindings())
                    for try await row in try await connection.query(query, logger: logger) {
                        rows.append(try statement.decodeRow(row))
                    }
                } else {
                    for try await row in try await connection.execute(statement, logger: logger) { rows.append(row) }
                }
                return rows
            }
        } catch let error as PSQLError {
            throw PlatformDBError.from(error)
        }
    }
}

/// Runs a task's jobs on one event loop, so that code awaiting a PostgresNIO call runs on the
/// connection's own loop.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
