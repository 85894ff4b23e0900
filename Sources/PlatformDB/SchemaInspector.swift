import SQLKit

/// Reads the live schema of either database: tables, and each table's columns.
public struct SchemaInspector: Sendable {
    /// One column as the database reports it.
    public struct Column: Sendable, Equatable {
        public var name: String
        public var isNullable: Bool
        public var defaultValue: String?
    }

    let sql: any SQLDatabase
    let dialect: SQLDialectKind

    /// An inspector over an open connection.
    public init(_ sql: any SQLDatabase, dialect: SQLDialectKind) {
        self.sql = sql
        self.dialect = dialect
    }

    /// The names of the user tables, sorted.
    public func tables() async throws -> [String] {
        let rows: [any SQLRow]
        switch dialect {
        case .postgres:
            rows = try await sql.raw(
                """
                SELECT table_name AS name FROM information_schema.tables
                WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name
                """
            ).all()
        case .sqlite:
            rows = try await sql.raw(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            ).all()
        }
        return try rows.map { try $0.decode(column: "name", as: String.self) }
    }

    /// Whether `table` exists.
    public func hasTable(_ table: String) async throws -> Bool {
        try await tables().contains(table)
    }

    /// The columns of `table`, in declaration order; empty when the table does not exist.
    public func columns(of table: String) async throws -> [Column] {
        switch dialect {
        case .postgres:
            let rows = try await sql.raw(
                """
                SELECT column_name AS name, is_nullable AS nullable, column_default AS dflt
                FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = \(bind: table)
                ORDER BY ordinal_position
                """
            ).all()
            return try rows.map {
                Column(
                    name: try $0.decode(column: "name", as: String.self),
                    isNullable: try $0.decode(column: "nullable", as: String.self) == "YES",
                    defaultValue: try $0.decode(column: "dflt", as: String?.self)
                )
            }
        case .sqlite:
            let rows = try await sql.raw(
                #"SELECT name, "notnull" AS is_not_null, dflt_value AS dflt FROM pragma_table_info(\#(bind: table))"#
            ).all()
            return try rows.map {
                Column(
                    name: try $0.decode(column: "name", as: String.self),
                    isNullable: try $0.decode(column: "is_not_null", as: Int.self) == 0,
                    defaultValue: try $0.decode(column: "dflt", as: String?.self)
                )
            }
        }
    }

    /// The names of the indexes on `table`, sorted.
    public func indexes(of table: String) async throws -> [String] {
        let rows: [any SQLRow]
        switch dialect {
        case .postgres:
            rows = try await sql.raw(
                """
                SELECT indexname AS name FROM pg_indexes
                WHERE schemaname = current_schema() AND tablename = \(bind: table) ORDER BY indexname
                """
            ).all()
        case .sqlite:
            rows = try await sql.raw(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = \(bind: table) ORDER BY name"
            ).all()
        }
        return try rows.map { try $0.decode(column: "name", as: String.self) }
    }
}
