import Foundation
import PostgresNIO

/// The unfiltered workflow pages, `GET /workflows`'s usual read, as PostgreSQL prepared statements
/// (``PlatformDatabase/prepared(_:)``). They read what ``WorkflowStore/list(in:status:nameContains:limit:after:)``'s
/// SQLKit query reads, tenant gate included; `PreparedReadTests` compares the two.
enum WorkflowPages {
    static let columns =
        "id, client_id, name, description, status, definition, version, created_by, created_at, updated_at"
    /// ``TenantFilter``, with the tenant as `$1` and its setting as `$3`.
    static let tenant = TenantFilter.postgres(setting: "$3", tenant: "$1")
    static let order = "ORDER BY created_at DESC, id DESC"

    typealias Columns = (String, String, String, String?, String, String, Int, String?, Date, Date)

    static func record(_ row: PostgresRow) throws -> WorkflowRecord {
        let (id, tenantID, name, description, statusText, definition, version, createdBy, createdAt, updatedAt) =
            try row.decode(
                Columns.self)
        guard let status = WorkflowStatus(rawValue: statusText) else {
            throw PlatformDBError.constraintViolation("workflow \(id) has status \(statusText)")
        }
        return WorkflowRecord(
            id: id, tenantID: tenantID, name: name, description: description, status: status, definition: definition,
            version: version, createdBy: createdBy, createdAt: createdAt, updatedAt: updatedAt)
    }

    /// The newest `limit` workflows of a tenant.
    struct First: PostgresPreparedStatement {
        static let sql = "SELECT \(columns) FROM workflows WHERE \(tenant) \(order) LIMIT $2"
        var scope: TenantScope
        var limit: Int

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 5)
            bindings.append(scope.tenantID)
            bindings.append(limit)
            bindings.append(scope.setting)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> WorkflowRecord { try record(row) }
    }

    /// The `limit` workflows of a tenant after a cursor (keyset pagination, newest first): the
    /// first page's parameters, then the cursor's.
    struct After: PostgresPreparedStatement {
        static let sql =
            "SELECT \(columns) FROM workflows WHERE \(tenant) AND (created_at < $4 OR (created_at = $4 AND id < $5)) \(order) LIMIT $2"
        var page: First
        var cursor: PageCursor

        func makeBindings() throws -> PostgresBindings {
            var bindings = try page.makeBindings()
            bindings.append(try cursor.storableCreatedAt)
            bindings.append(cursor.id)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> WorkflowRecord { try record(row) }
    }
}
