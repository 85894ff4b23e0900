import SQLKit

/// Scopes one statement to a tenant without a transaction, for the hot reads: the statement
/// filters by `client_id` and, on PostgreSQL, sets the row-level security setting itself.
///
/// A transaction costs three extra round trips (BEGIN, `set_config`, COMMIT), which measured
/// 1.5× on `GET /workflows`. Here the setting is made by an uncorrelated sub-select compared with
/// a parameter: PostgreSQL plans that as a one-time filter of a `Result` node above the scan, so
/// the `set_config` runs before the first row is fetched and its `is_local` value ends with the
/// statement's own implicit transaction. Should a planner ever order it otherwise, the policy sees
/// no setting and admits no rows: the gate fails closed. `RowLevelSecurityTests` runs these reads
/// as a role that row-level security binds.
struct TenantGate: SQLExpression {
    let clientID: String

    func serialize(to serializer: inout SQLSerializer) {
        if serializer.dialect.name == "postgresql" {
            serializer.write("(SELECT set_config(")
            SQLLiteral.string(PlatformDatabase.tenantSetting).serialize(to: &serializer)
            serializer.write(", ")
            SQLBind(clientID).serialize(to: &serializer)
            serializer.write(", true)) = ")
            SQLBind(clientID).serialize(to: &serializer)
        } else {
            // SQLite has no row-level security; the `client_id` filter is the guard.
            serializer.write("1 = 1")
        }
    }
}

extension SQLPredicateBuilder {
    /// Only `scope`'s rows: the `client_id` filter, and on PostgreSQL the row-level security
    /// setting for this one statement (``TenantGate``). For a read run outside ``PlatformDatabase/scoped(_:_:)``.
    public func whereTenant(_ scope: TenantScope) -> Self {
        self.where(TenantGate(clientID: scope.clientID)).where("client_id", .equal, SQLBind(scope.clientID))
    }
}
