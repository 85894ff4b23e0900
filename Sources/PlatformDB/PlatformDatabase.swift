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

/// The platform database: one handle over PostgreSQL or SQLite that hands out `SQLDatabase`s.
///
/// It is a `Service`: PostgreSQL's pool runs inside `run()`, so add it to the application's
/// `ServiceGroup` (or use ``withOpened(_:logger:_:)`` outside one).
public final class PlatformDatabase: Service, Sendable {
    /// Where this database lives.
    public let url: DatabaseURL
    /// The dialect, for the few PostgreSQL-only features.
    public var dialect: SQLDialectKind { url.dialect }

    private let backend: Backend
    let logger: Logger
    private let closed = Mutex(false)
    /// PostgreSQL connections leased now, and leases that timed out since start (pool metrics).
    private let leased = Atomic<Int>(0)
    private let leaseTimeouts = Atomic<Int>(0)
    /// Whether ``listen(channel:subscribed:_:)`` hears notifications: on PostgreSQL, on a direct
    /// listen URL, or on the pool unless it is a transaction-mode pooler. The caches that are
    /// kept true by notifications are off without it.
    public var canListen: Bool {
        guard case .postgres(_, let direct) = backend else { return false }
        return direct != nil || !topology.transactionPooling
    }

    /// The pool's size: the most connections this database opens.
    public let poolSize: Int
    /// The last ``connectionFailureCause()``, reused for 5 s.
    let diagnosis = Mutex<(at: ContinuousClock.Instant, cause: String?)?>(nil)

    private enum Backend: Sendable {
        /// The pool, and the pool of direct connections for `LISTEN` when it is another one.
        case postgres(PostgresClient, listen: PostgresClient?)
        case sqlite(SQLiteConnection, AsyncLock)
    }

    /// How the PostgreSQL URL is reached (issue 23).
    public struct Topology: Sendable {
        /// The URL goes through a pooler in transaction mode (PgBouncer's `pool_mode = transaction`):
        /// a connection is the server's only for a transaction, so nothing may outlive one. No
        /// named prepared statements are used, and `LISTEN` runs only on `listenURL`.
        public var transactionPooling = false
        /// A direct connection to the primary for `LISTEN` (which a transaction-mode pooler cannot
        /// carry); nil listens on the pool, or, with transaction pooling, not at all.
        public var listenURL: DatabaseURL?
        /// A streaming replica for reads of committed data (``read(_:)``); nil reads the primary.
        public var readURL: DatabaseURL?
        /// How long a read waits for the replica to replay what the primary had committed when the
        /// read began, before it goes to the primary instead.
        public var replicaWait: Duration = .milliseconds(100)

        /// A topology: a direct pool listening on itself unless told otherwise.
        public init(transactionPooling: Bool = false, listenURL: DatabaseURL? = nil, readURL: DatabaseURL? = nil) {
            self.transactionPooling = transactionPooling
            self.listenURL = listenURL
            self.readURL = readURL
        }
    }

    /// How this database's URL is reached.
    public let topology: Topology
    /// The streaming replica of `topology.readURL`, run with this database.
    let replica: PlatformDatabase?
    /// Until when the replica is left alone after it failed.
    let replicaDownUntil = Mutex<ContinuousClock.Instant?>(nil)
    /// Reads ``read(_:)`` ran on the replica, and on the primary while a replica is configured.
    let replicaReads = Atomic<Int>(0)
    /// The furthest WAL position the replica was seen to have replayed.
    let replicaReplayed = Atomic<UInt64>(0)
    let primaryReads = Atomic<Int>(0)

    private init(
        url: DatabaseURL, backend: Backend, logger: Logger, poolSize: Int = 1, topology: Topology = .init(),
        replica: PlatformDatabase? = nil
    ) {
        self.poolSize = poolSize
        self.topology = topology
        self.url = url
        self.backend = backend
        self.logger = logger
        self.replica = replica
    }

    /// Opens the database. SQLite files and their folders are created; PostgreSQL connects lazily
    /// once `run()` is running, up to `maximumConnections`, of which `openConnections` stay open when idle.
    /// `topology` says how PostgreSQL is reached (a transaction-mode pooler, a direct URL for
    /// `LISTEN`; a URL's `?pooler=transaction` sets transaction pooling too); throws
    /// `invalidDatabaseURL` when its listen URL is not PostgreSQL.
    public static func open(
        _ url: DatabaseURL, logger: Logger, openConnections: Int = 2, maximumConnections: Int = 20,
        topology: Topology = .init()
    ) async throws -> PlatformDatabase {
        switch url {
        case .postgres(let location):
            var topology = topology
            topology.transactionPooling = topology.transactionPooling || location.transactionPooler
            let client = try client(location, logger: logger, open: openConnections, maximum: maximumConnections)
            var listen: PostgresClient?
            if let listenURL = topology.listenURL {
                guard case .postgres(let direct) = listenURL else {
                    throw PlatformDBError.invalidDatabaseURL("the listen URL must be a PostgreSQL URL")
                }
                // One connection per channel listened to (three), opened as they are asked for.
                listen = try Self.client(direct, logger: logger, open: 0, maximum: 4)
            }
            var replica: PlatformDatabase?
            if let readURL = topology.readURL {
                guard case .postgres = readURL else {
                    throw PlatformDBError.invalidDatabaseURL("the read URL must be a PostgreSQL URL")
                }
                replica = try await open(
                    readURL, logger: logger, openConnections: 0, maximumConnections: maximumConnections)
            }
            return PlatformDatabase(
                url: url, backend: .postgres(client, listen: listen), logger: logger,
                poolSize: max(1, maximumConnections), topology: topology, replica: replica)
        case .sqliteFile(let path):
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw PlatformDBError.unavailable("cannot create \(folder.path): \(error.localizedDescription)")
            }
            let connection = try await openSQLite(.file(path: path), logger: logger)
            return PlatformDatabase(url: url, backend: .sqlite(connection, AsyncLock()), logger: logger)
        case .sqliteMemory:
            let connection = try await openSQLite(.memory, logger: logger)
            return PlatformDatabase(url: url, backend: .sqlite(connection, AsyncLock()), logger: logger)
        }
    }

    /// A pool of connections to `location`, up to `maximum`, of which `open` stay open when idle.
    private static func client(
        _ location: DatabaseURL.PostgresLocation, logger: Logger, open: Int, maximum: Int
    ) throws -> PostgresClient {
        var configuration = PostgresClient.Configuration(
            host: location.host,
            port: location.port,
            username: location.username,
            password: location.password,
            database: location.database,
            tls: try tls(location.tls)
        )
        // Timestamps are stored in UTC whatever the server's own time zone is.
        configuration.options.additionalStartupParameters = [("TimeZone", "UTC")]
        // `platform serve` keeps the whole pool open: connections closed when idle and opened
        // again under the next burst cost a PostgreSQL backend start each, on a machine
        // already busy with that burst. With the page cache in front, the database sees only
        // sporadic reads, and that churn put the cached list's p99 at 10-11 ms; with the pool kept open,
        // 7-9.5 ms. Tools and tests keep two.
        configuration.options.maximumConnections = max(1, maximum)
        configuration.options.minimumConnections = min(max(open, 0), max(1, maximum))
        // Every release of a connection starts the pool's keep-alive and idle timers, and a
        // cancelled `Task.sleep` (Swift 6.3 on Linux: a `dispatch_after`) holds its memory
        // until its deadline: with the defaults (30 s, 60 s) a busy gateway held ~90 MB of
        // timers. 10 s holds a sixth of that.
        configuration.options.connectionIdleTimeout = .seconds(10)
        configuration.options.keepAliveBehavior = .init(frequency: .seconds(10))
        return PostgresClient(configuration: configuration, backgroundLogger: logger)
    }

    /// Opens the database, runs it for the duration of `body`, then closes it.
    public static func withOpened<T: Sendable>(
        _ url: DatabaseURL,
        logger: Logger,
        topology: Topology = .init(),
        _ body: @Sendable (PlatformDatabase) async throws -> T
    ) async throws -> T {
        let database = try await open(url, logger: logger, topology: topology)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await database.runUntilCancelled() }
            defer { group.cancelAll() }
            return try await body(database)
        }
    }

    /// Runs the connection pool until graceful shutdown (PostgreSQL), then closes the connection.
    public func run() async throws {
        try await cancelWhenGracefulShutdown { try await self.runUntilCancelled() }
    }

    private func runUntilCancelled() async throws {
        switch backend {
        case .postgres(let client, let listen):
            await withDiscardingTaskGroup { group in
                group.addTask { await client.run() }
                if let listen { group.addTask { await listen.run() } }
                if let replica { group.addTask { try? await replica.runUntilCancelled() } }
            }
        case .sqlite(let connection, _):
            // Nothing to drive; wait for cancellation, then close the file cleanly.
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(3600))
            }
            if closed.withLock({ was in
                defer { was = true }; return !was
            }) {
                await Self.close(connection)
            }
        }
    }

    /// A SQLite database opened but never run (a start-up that failed) still closes its file.
    deinit {
        if case .sqlite(let connection, _) = backend, closed.withLock({ !$0 }) {
            _ = connection.close() as EventLoopFuture<Void>
        }
    }

    /// Runs `body` on one connection, waiting at most `leaseTimeout` (else the default) for a
    /// pooled one. On SQLite, callers take turns.
    public func withConnection<T: Sendable>(
        leaseTimeout: Duration? = nil, _ body: (any SQLDatabase) async throws -> T
    ) async throws -> T {
        do {
            switch backend {
            case .postgres(let client, _):
                let connection: Lease
                do {
                    connection = try await Self.lease(from: client, within: leaseTimeout ?? Self.leaseTimeout)
                } catch PlatformDBError.unavailable(let why) {
                    leaseTimeouts.add(1, ordering: .relaxed)
                    // The pool retries quietly; say why a connection cannot be made.
                    let cause = await connectionFailureCause() ?? "the server accepts connections: all were busy"
                    throw PlatformDBError.unavailable("\(why): \(cause)")
                }
                leased.add(1, ordering: .relaxed)
                defer {
                    connection.release()
                    leased.subtract(1, ordering: .relaxed)
                }
                return try await body(LeasedConnectionSQL(connection.connection))
            case .sqlite(let connection, let lock):
                return try await lock.withLock {
                    try await body(connection.sql(queryLogLevel: nil))
                }
            }
        } catch let error as PSQLError {
            throw PlatformDBError.from(error)
        } catch let error as SQLiteError {
            throw PlatformDBError.from(error)
        }
    }

    /// How long a caller waits for a pooled PostgreSQL connection: 2 s, or
    /// `PLATFORM_DB_LEASE_TIMEOUT_MS`. PostgresClient waits without bound while the server is
    /// down; past this the operation fails as `unavailable` (a 503), so an outage answers fast
    /// instead of piling up requests. The test script raises it: a whole suite running at once on
    /// two cores can take longer than 2 s to open a connection.
    static let leaseTimeout: Duration = {
        let text = ProcessInfo.processInfo.environment["PLATFORM_DB_LEASE_TIMEOUT_MS"] ?? ""
        guard let milliseconds = Int(text), (1...600_000).contains(milliseconds) else { return .seconds(2) }
        return .milliseconds(milliseconds)
    }()

    /// Connections leased right now (PostgreSQL; 0 on SQLite).
    public var connectionsInUse: Int { leased.load(ordering: .relaxed) }

    /// Callers that waited longer than the lease timeout for a connection, since start.
    public var connectionWaitTimeouts: Int { leaseTimeouts.load(ordering: .relaxed) }

    /// PostgreSQL's pool; nil on SQLite.
    var postgresClient: PostgresClient? {
        if case .postgres(let client, _) = backend { client } else { nil }
    }

    /// Runs `body` in one transaction: committed if it returns, rolled back if it throws.
    /// On PostgreSQL, `settings` are set for the transaction only (`set_config(…, true)`), which is
    /// what the row-level security policies read.
    public func transaction<T: Sendable>(
        settings: [(String, String)] = [], _ body: (any SQLDatabase) async throws -> T
    ) async throws -> T {
        let dialect = self.dialect
        return try await withConnection { sql in
            try await sql.raw("BEGIN").run()
            if dialect == .postgres {
                for (name, value) in settings {
                    try await sql.raw("SELECT set_config(\(bind: name), \(bind: value), true)").run()
                }
            }
            do {
                let result = try await body(sql)
                try await sql.raw("COMMIT").run()
                return result
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Calls `handler` with the payload of every `NOTIFY` on `channel` until cancelled, holding one
    /// pooled connection; reconnects after a failure. PostgreSQL only: on SQLite (one process)
    /// there is no one else to hear from, and it returns at once.
    ///
    /// `subscribed` is told `true` once PostgreSQL confirmed the `LISTEN` (from then on no
    /// notification is missed), and `false` as soon as the subscription is lost, before any retry.
    public func listen(
        channel: String,
        subscribed: @escaping @Sendable (Bool) async -> Void = { _ in },
        _ handler: @escaping @Sendable (String) async -> Void
    ) async {
        guard case .postgres(let pool, let direct) = backend,
            let client = direct ?? (topology.transactionPooling ? nil : pool)
        else { return }
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: channel) { notifications in
                        await subscribed(true)
                        for try await notification in notifications { await handler(notification.payload) }
                    }
                }
                await subscribed(false)
            } catch {
                await subscribed(false)
                if Task.isCancelled { return }
                logger.warning(
                    "LISTEN failed; retrying",
                    metadata: ["channel": "\(channel)", "error": "\(PlatformDBError.describe(error))"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Runs `body` in a transaction of `scope`'s tenant: on PostgreSQL, row-level security then
    /// admits that tenant's rows only, a second guard behind every query's own `client_id` filter.
    public func scoped<T: Sendable>(_ scope: TenantScope, _ body: (any SQLDatabase) async throws -> T) async throws -> T
    {
        try await transaction(settings: [(Self.tenantSetting, scope.setting)], body)
    }

    /// The per-transaction setting the row-level security policies compare `client_id` with.
    public static let tenantSetting = "app.client_id"

    /// Whether the database answers a trivial query within `timeout`. PostgreSQL's pool waits
    /// for a connection while the server is down, so the wait is bounded here.
    public func ping(timeout: Duration = .seconds(2)) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                do {
                    return try await self.withConnection { sql in
                        try await sql.raw("SELECT 1 AS ok").first() != nil
                    }
                } catch {
                    self.logger.debug("database ping failed", metadata: ["error": "\(PlatformDBError.describe(error))"])
                    return false
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let answer = await group.next() ?? false
            group.cancelAll()
            return answer
        }
    }

}
