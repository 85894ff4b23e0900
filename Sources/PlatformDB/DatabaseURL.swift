import Foundation

/// Where the platform database lives, parsed from `--database-url` / `DATABASE_URL`.
public enum DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    /// A PostgreSQL server (`postgres://user:pass@host:port/db?sslmode=disable|prefer|require`),
    /// with `pooler=transaction` when the address is a transaction-mode pooler such as PgBouncer.
    case postgres(PostgresLocation)
    /// A SQLite file (`sqlite:///absolute/path` or `sqlite://relative/path`); its folder is created.
    case sqliteFile(path: String)
    /// A private in-memory SQLite database (`sqlite::memory:`), gone when the process ends.
    case sqliteMemory

    /// The embedded default: a SQLite file under `./data/`.
    public static let defaultURLString = "sqlite://data/platform.sqlite"

    /// Connection settings for PostgreSQL; `password` is a secret and never printed.
    public struct PostgresLocation: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var username: String
        public var password: String?
        public var database: String
        public var tls: TLSMode
        /// The address is a pooler in transaction mode (`?pooler=transaction`; PgBouncer's
        /// `pool_mode = transaction`), as `--database-pooler transaction` says.
        public var transactionPooler = false

        /// How the connection negotiates TLS, after libpq's `sslmode`.
        public enum TLSMode: String, Sendable { case disable, prefer, require }
    }

    /// Parses a URL string, failing with a message that names what is wrong.
    public init(_ string: String) throws(PlatformDBError) {
        let text = string.trimmingCharacters(in: .whitespaces)
        if text == "sqlite::memory:" || text == "sqlite://:memory:" {
            self = .sqliteMemory
            return
        }
        if text.hasPrefix("sqlite://") {
            let path = String(text.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw .invalidDatabaseURL("a sqlite URL needs a path: sqlite:///path/to/file") }
            self = .sqliteFile(path: path)
            return
        }
        guard let components = URLComponents(string: text),
            let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme)
        else {
            throw .invalidDatabaseURL("expected postgres://…, sqlite:///path or sqlite::memory:")
        }
        guard let host = components.host, !host.isEmpty else {
            throw .invalidDatabaseURL("a postgres URL needs a host")
        }
        guard let user = components.user, !user.isEmpty else {
            throw .invalidDatabaseURL("a postgres URL needs a user name")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else { throw .invalidDatabaseURL("a postgres URL needs a database name") }
        var tls = PostgresLocation.TLSMode.prefer
        if let mode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value {
            switch mode {
            case "disable", "allow": tls = .disable
            case "prefer": tls = .prefer
            case "require", "verify-ca", "verify-full": tls = .require
            default: throw .invalidDatabaseURL("unknown sslmode '\(mode)'")
            }
        }
        var transactionPooler = false
        if let pooler = components.queryItems?.first(where: { $0.name == "pooler" })?.value {
            switch pooler {
            case "none": break
            case "transaction": transactionPooler = true
            default: throw .invalidDatabaseURL("unknown pooler '\(pooler)': none or transaction")
            }
        }
        self = .postgres(
            PostgresLocation(
                host: host,
                port: components.port ?? 5432,
                username: user.removingPercentEncoding ?? user,
                password: components.password.map { $0.removingPercentEncoding ?? $0 },
                database: database,
                tls: tls,
                transactionPooler: transactionPooler
            ))
    }

    /// The URL with any password masked, safe for logs.
    public var description: String {
        switch self {
        case .postgres(let p):
            "postgres://\(p.username)\(p.password == nil ? "" : ":***")@\(p.host):\(p.port)/\(p.database)"
                + (p.transactionPooler ? "?pooler=transaction" : "")
        case .sqliteFile(let path): "sqlite://\(path)"
        case .sqliteMemory: "sqlite::memory:"
        }
    }

    /// Which SQL dialect this URL selects.
    public var dialect: SQLDialectKind {
        if case .postgres = self { return .postgres }
        return .sqlite
    }
}
