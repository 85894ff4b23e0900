import Foundation
import PostgresNIO

/// The unfiltered workflow pages, `GET /workflows`'s usual read, as PostgreSQL prepared statements
/// (``PlatformDatabase/prepared(_:)``) that answer the page already written as the API's JSON
/// (``RenderedPage``), from each row's `rendered_json` (``AddWorkflowRenderedJSON``). They read
/// what ``WorkflowStore/list(in:status:nameContains:limit:after:)``'s SQLKit query reads, tenant
/// gate included; `PreparedReadTests` compares the two, and `RenderedPageTests` compares the bytes
/// with the gateway's own writer.
///
/// Decoding 21 rows of 10 columns into records and writing them again was 1.07 million of the
/// gateway's 1.78 million instructions per uncached page (`scripts/bench --instructions`,
/// benchmarks/RESULTS.md); this reads one row of four cells and copies the JSON.
enum WorkflowPages {
    /// ``TenantFilter``, with the tenant as `$1` and its setting as `$3`.
    static let tenant = TenantFilter.postgres(setting: "$3", tenant: "$1")
    static let order = "ORDER BY created_at DESC, id DESC"

    /// The page in one row: the first `$2 - 1` items' JSON joined by commas, how many rows were
    /// read (at most `$2`: the page size and one more, which only says that there is more), and
    /// the last item's date and id. One row instead of 21: the gateway's cost was in receiving
    /// rows one by one, each through an async sequence, not in the bytes.
    ///
    /// The aggregates take the rows in the subquery's order: an aggregate without `GROUP BY` is a
    /// plain aggregation, which consumes its input as it comes, and PostgreSQL's documentation
    /// gives this form for ordered input ("supplying the input values from a sorted subquery").
    /// `ORDER BY` inside each aggregate instead (a sort each) raised PostgreSQL's CPU per page by
    /// 30%, and numbering the rows in a CTE doubled it (benchmarks/RESULTS.md).
    static func rendered(_ condition: String) -> String {
        let last = "least(count(*), $2 - 1)::int"
        return """
            SELECT coalesce(array_to_string((array_agg(rendered_json))[1:$2::int - 1], ','), ''), count(*), \
            (array_agg(created_at))[\(last)], (array_agg(id))[\(last)] \
            FROM (SELECT rendered_json, created_at, id FROM workflows WHERE \(tenant)\(condition) \(order) LIMIT $2) AS page
            """
    }

    static func page(_ row: PostgresRow) throws -> RenderedPage {
        let (items, rows, lastCreatedAt, lastID) = try row.decode((String, Int, Date?, String?).self)
        let last = lastCreatedAt.flatMap { date in lastID.map { PageCursor(createdAt: date, id: $0) } }
        return RenderedPage(items: items, rows: rows, last: last)
    }

    /// The newest workflows of a tenant; `limit` is the page size plus one.
    struct First: PostgresPreparedStatement {
        static let sql = rendered("")
        var scope: TenantScope
        var limit: Int

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 5)
            bindings.append(scope.tenantID)
            bindings.append(limit)
            bindings.append(scope.setting)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> RenderedPage { try WorkflowPages.page(row) }
    }

    /// The workflows of a tenant after a cursor (keyset pagination, newest first): the first
    /// page's parameters, then the cursor's.
    struct After: PostgresPreparedStatement {
        static let sql = rendered(" AND (created_at < $4 OR (created_at = $4 AND id < $5))")
        var page: First
        var cursor: PageCursor

        func makeBindings() throws -> PostgresBindings {
            var bindings = try page.makeBindings()
            bindings.append(try cursor.storableCreatedAt)
            bindings.append(cursor.id)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> RenderedPage { try WorkflowPages.page(row) }
    }
}

/// A page of workflows written by PostgreSQL as the API's JSON (``WorkflowPages``).
public struct RenderedPage: Sendable, Equatable {
    /// The page's items as JSON objects joined by commas, without the brackets.
    public var items: String
    /// How many rows were read: one more than the page holds when there is a next page.
    public var rows: Int
    /// The last item's date and id, from which the next page's cursor is made.
    public var last: PageCursor?
}
