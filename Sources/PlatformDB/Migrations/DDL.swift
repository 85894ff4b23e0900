import SQLKit

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
