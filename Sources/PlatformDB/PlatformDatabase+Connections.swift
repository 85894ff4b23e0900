import Foundation
import Logging
import NIOPosix
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

    /// Why a PostgreSQL connection cannot be made, from one direct attempt of at most 2 s, at
    /// most one every 5 s for the whole process (callers meanwhile get the last answer; the
    /// pool's own attempts only log): the server's refusal (a wrong password, a missing
    /// database), a TLS mismatch, an address that refuses; nil when the attempt succeeds.
    func connectionFailureCause() async -> String? {
        guard case .postgres(let location) = url else { return nil }
        let now = ContinuousClock.now
        let previous: (at: ContinuousClock.Instant, cause: String?)? = diagnosis.withLock { last in
            if let last, now - last.at < .seconds(5) { return last }
            // Claimed for this caller: the others reuse the answer until it is replaced.
            last = (now, last?.cause ?? "the cause is being checked")
            return nil
        }
        if let previous { return previous.cause }
        let logger = self.logger
        // Whichever answers first: the attempt, or 2 s. A stalled attempt is left to end by itself
        // (a task group would wait for it).
        let (answers, answer) = AsyncStream.makeStream(of: String?.self, bufferingPolicy: .bufferingOldest(1))
        let attempt = Task {
            do {
                var configuration = PostgresConnection.Configuration(
                    host: location.host, port: location.port, username: location.username,
                    password: location.password, database: location.database,
                    tls: try Self.connectionTLS(location.tls))
                configuration.options.connectTimeout = .seconds(2)
                let connection = try await PostgresConnection.connect(
                    on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 0,
                    logger: logger)
                answer.yield(nil)
                try? await connection.close()
            } catch {
                answer.yield(Self.connectionError(error))
            }
            answer.finish()
        }
        let timer = Task {
            try? await Task.sleep(for: .seconds(2))
            answer.yield("no answer from the server within 2 s (a handshake that stalls, or a server at its limit)")
            answer.finish()
        }
        var iterator = answers.makeAsyncIterator()
        let cause = await iterator.next() ?? nil
        timer.cancel()
        _ = attempt
        diagnosis.withLock { $0 = (.now, cause) }
        return cause
    }

    static func connectionTLS(_ mode: DatabaseURL.PostgresLocation.TLSMode) throws
        -> PostgresConnection.Configuration.TLS
    {
        switch mode {
        case .disable: .disable
        case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }

    /// A connection failure in words: the server's message, or what the driver saw.
    static func connectionError(_ error: any Error) -> String {
        guard let pg = error as? PSQLError else { return String(describing: error) }
        if let message = pg.serverInfo?[.message] {
            return "PostgreSQL \(pg.serverInfo?[.sqlState] ?? "?"): \(message)"
        }
        switch pg.code {
        case .sslUnsupported: return "the server does not support TLS, and the URL requires it (sslmode=require)"
        case .connectionError:
            return
                "cannot connect: \(pg.underlying.map { String(describing: $0) } ?? "connection refused or unreachable")"
        default: return "PostgreSQL \(pg.code)\(pg.underlying.map { ": \($0)" } ?? "")"
        }
    }
}
