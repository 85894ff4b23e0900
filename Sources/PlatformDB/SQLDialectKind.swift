import Foundation

/// The two SQL dialects the platform runs on; PostgreSQL-only features check this.
public enum SQLDialectKind: String, Sendable {
    case postgres
    case sqlite
}
