import Foundation
import Logging
import NIOSSL
import PostgresKit
import PostgresNIO
import SQLKit
import SQLiteKit
import SQLiteNIO
import ServiceLifecycle
import Synchronization

extension PlatformDatabase {
    static func openSQLite(_ storage: SQLiteConnection.Storage, logger: Logger) async throws
        -> SQLiteConnection
    {
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: storage, logger: logger)
        } catch {
            throw PlatformDBError.unavailable("cannot open SQLite database: \(error)")
        }
        do {
            _ = try await connection.query("PRAGMA foreign_keys = ON")
            _ = try await connection.query("PRAGMA busy_timeout = 5000")
            if case .file = storage { _ = try await connection.query("PRAGMA journal_mode = WAL") }
            return connection
        } catch {
            await close(connection)
            throw PlatformDBError.unavailable("cannot configure SQLite database: \(error)")
        }
    }

    /// Closes a SQLite connection even from a cancelled task: the async `close()` gives up when
    /// cancelled, and a connection left open traps when it is freed.
    static func close(_ connection: SQLiteConnection) async {
        let closing: EventLoopFuture<Void> = connection.close()
        try? await closing.get()
    }

    static func tls(_ mode: DatabaseURL.PostgresLocation.TLSMode) throws -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
    }
}
