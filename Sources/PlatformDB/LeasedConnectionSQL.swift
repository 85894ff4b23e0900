import Logging
import NIOCore
import PostgresKit
import PostgresNIO
import SQLKit

/// The `SQLDatabase` of one leased PostgreSQL connection, whose statements fail at once when the
/// connection has closed.
///
/// PostgresNIO 1.33 hands a query to its channel with `channel.write(…, promise: nil)`. Once the
/// channel has closed (PostgreSQL stopped or ended the backend between two statements), that write
/// fails unseen and the query's own promise is never completed: the caller waits for ever and
/// keeps its pooled connection (the requests in flight at a stop). Here each statement
/// is sent from the connection's event loop, in the same turn in which the channel is seen open:
/// the channel closes only on that loop, so the query either reaches PostgresNIO's state machine,
/// which fails it properly when the connection goes, or is refused here as `unavailable`.
struct LeasedConnectionSQL: SQLDatabase {
    let connection: PostgresConnection
    let base: any SQLDatabase

    init(_ connection: PostgresConnection) {
        self.connection = connection
        self.base = connection.sql(queryLogLevel: nil)
    }

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { connection.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<
        Void
    > {
        let connection = self.connection
        let base = self.base
        return connection.eventLoop.flatSubmit {
            guard !connection.isClosed else {
                return connection.eventLoop.makeFailedFuture(
                    PlatformDBError.unavailable("the PostgreSQL connection has closed"))
            }
            return base.execute(sql: query, onRow)
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await execute(sql: query, onRow).get()
    }

    func withSession<R: Sendable>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    {
        try await closure(self)
    }
}
