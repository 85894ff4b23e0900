import SQLKit

/// One named, ordered schema change. It runs inside the migrator's transaction.
public protocol Migration: Sendable {
    /// The name recorded in `platform_migrations`; never changes once released.
    var name: String { get }
    /// Applies the change.
    func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws
}

/// SQL fragments whose spelling differs between the two databases.
enum DDL {
    /// The current time as a column default.
    static func now(_ dialect: SQLDialectKind) -> String {
        dialect == .postgres ? "NOW()" : "CURRENT_TIMESTAMP"
    }

    /// A CHECK that keeps `column` within `values`, with a stable constraint name.
    static func check(_ name: String, _ column: String, in values: [String]) -> String {
        let list = values.map { "'\($0)'" }.joined(separator: ", ")
        return "CONSTRAINT \(name) CHECK (\(column) IN (\(list)))"
    }
}
