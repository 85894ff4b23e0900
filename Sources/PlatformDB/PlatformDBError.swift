import PostgresNIO
import SQLiteNIO

/// Every failure the data-access layer reports; drivers' errors never leave the module untyped.
public enum PlatformDBError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The database URL could not be understood.
    case invalidDatabaseURL(String)
    /// A unique constraint refused a row; `field` is the column that collided.
    case alreadyExists(table: String, field: String)
    /// A CHECK, NOT NULL or foreign-key constraint refused a value.
    case constraintViolation(String)
    /// A value the database cannot hold (SQLSTATE class 22: a NUL in text, a date or number out of
    /// range); caused by the data, so trying again cannot help. Names the column or SQLSTATE, never
    /// the value.
    case invalidValue(String)
    /// No row matched.
    case notFound(String)
    /// The legacy users table still has rows that are not linked to Authorizer.
    case legacyUsersWithoutAuthorizerID(emails: [String])
    /// The database could not be reached, or failed in a way that passes (SQLSTATE classes 08
    /// connection, 40 serialization failure and deadlock, 53 insufficient resources, 57P operator
    /// intervention, 58 system error, 55P03 lock not available); worth trying again.
    case unavailable(String)
    /// Migrations this binary knows are not applied: `platform migrate` (as the schema's owner) first.
    case schemaBehind(pending: [String])
    /// The database holds migrations this binary does not know: a newer binary migrated it.
    case schemaNewer(unknown: [String])
    /// The database refused the statement for another reason (a program limit, a missing object):
    /// trying the same again cannot help.
    case refused(String)

    public var description: String {
        switch self {
        case .invalidDatabaseURL(let why): "invalid database URL: \(why)"
        case .alreadyExists(let table, let field): "a row in \(table) with this \(field) already exists"
        case .constraintViolation(let what): "constraint violated: \(what)"
        case .invalidValue(let what): "value refused: \(what)"
        case .notFound(let what): "not found: \(what)"
        case .legacyUsersWithoutAuthorizerID(let emails):
            """
            cannot finish the user schema upgrade: \(emails.count) user row(s) have no authorizer_id: \
            \(emails.joined(separator: ", ")). Nothing was changed. Link each of them to its Authorizer \
            account first (UPDATE users SET authorizer_id = '<Authorizer user id>' WHERE email = '…'; \
            the id is in Authorizer's _users list), or delete rows that have no Authorizer account, \
            then run `platform migrate` again.
            """
        case .schemaBehind(let pending):
            """
            the platform database is \(pending.count) migration(s) behind this binary (first: \(pending[0])). \
            Run `platform migrate` with the schema owner's database URL, then try again.
            """
        case .schemaNewer(let unknown):
            """
            the platform database has \(unknown.count) migration(s) this binary does not know \
            (\(unknown.joined(separator: ", "))): a newer version migrated it. Use that version's `platform`.
            """
        case .unavailable(let why): "database unavailable: \(why)"
        case .refused(let why): "database refused the statement: \(why)"
        }
    }

    /// Maps a driver error to the typed error, recognising constraint failures on both databases.
    public static func from(_ error: any Error) -> PlatformDBError {
        if let typed = error as? PlatformDBError { return typed }
        if let pg = error as? PSQLError {
            guard let state = pg.serverInfo?[.sqlState] else {
                return .unavailable("PostgreSQL: \(pg.code)")
            }
            let table = pg.serverInfo?[.tableName] ?? "?"
            switch state {
            case "23505":
                return .alreadyExists(table: table, field: postgresKeyColumn(pg.serverInfo?[.detail]) ?? "key")
            case "23514", "23502", "23503":
                return .constraintViolation(pg.serverInfo?[.constraintName] ?? pg.serverInfo?[.columnName] ?? state)
            case _ where state.hasPrefix("22") || state.hasPrefix("54"):
                // Data exceptions and program limits (a value too large for an index): the
                // message may quote the value, so only where and what.
                return .invalidValue("PostgreSQL \(state)\(pg.serverInfo?[.columnName].map { " in \($0)" } ?? "")")
            case _ where state.hasPrefix("23"):
                return .constraintViolation(pg.serverInfo?[.constraintName] ?? state)
            case _ where ["08", "40", "53", "57", "58"].contains(String(state.prefix(2))) || state == "55P03":
                return .unavailable("PostgreSQL \(state): \(pg.serverInfo?[.message] ?? "")")
            default:
                return .refused("PostgreSQL \(state): \(pg.serverInfo?[.message] ?? "")")
            }
        }
        if let lite = error as? SQLiteError {
            // SQLite names the failed constraint in its message: "UNIQUE constraint failed: users.email".
            let message = lite.message
            if message.hasPrefix("UNIQUE constraint failed: ") {
                let target =
                    message.dropFirst("UNIQUE constraint failed: ".count)
                    .split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                let parts = target.split(separator: ".", maxSplits: 1).map(String.init)
                return .alreadyExists(table: parts.first ?? "?", field: parts.last ?? "key")
            }
            if message.contains("constraint failed") {
                return .constraintViolation(message)
            }
            if lite.reason == .tooBig || lite.reason == .mismatch || lite.reason == .range {
                return .invalidValue("SQLite \(lite.reason)")
            }
            return .unavailable("SQLite \(lite.reason): \(message)")
        }
        // Another layer's failure (Authorizer's client, a timeout): its own words, bounded.
        return .unavailable("\(type(of: error)): \(String(describing: error).prefix(300))")
    }

    /// Any error as a line fit for a log or a stored error: a driver's error by its code, SQLSTATE
    /// and message (PostgresNIO's own description is a fixed "Generic description to prevent
    /// accidental leakage"), never its detail, which may quote values.
    public static func describe(_ error: any Error) -> String {
        if let typed = error as? PlatformDBError { return typed.description }
        if let pg = error as? PSQLError {
            guard let info = pg.serverInfo else { return "PostgreSQL \(pg.code)" }
            return "PostgreSQL \(info[.sqlState] ?? "?"): \(info[.message] ?? "\(pg.code)")"
        }
        if error is SQLiteError { return from(error).description }
        return String(describing: error)
    }

    /// Whether trying the same work again may succeed: an unavailable database (connection lost,
    /// timeout, serialization failure, deadlock) is transient; a refused value or constraint is
    /// caused by the data and is permanent.
    public var isTransient: Bool {
        if case .unavailable = self { true } else { false }
    }

    /// Reads the column from PostgreSQL's detail text, `Key (email)=(…) already exists.`,
    /// without keeping the value, which may be personal data.
    private static func postgresKeyColumn(_ detail: String?) -> String? {
        guard let detail, let open = detail.firstIndex(of: "("), let close = detail.firstIndex(of: ")"),
            open < close
        else { return nil }
        return String(detail[detail.index(after: open)..<close])
    }
}
