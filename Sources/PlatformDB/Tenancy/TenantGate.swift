import SQLKit

/// ``TenantFilter`` for one tenant, as an SQLKit expression: on PostgreSQL the setting (with its
/// proof) twice, then the tenant's id; on SQLite the id.
struct TenantGate: SQLExpression {
    let scope: TenantScope

    func serialize(to serializer: inout SQLSerializer) {
        let postgres = serializer.dialect.name == "postgresql"
        let template = postgres ? TenantFilter.postgres : TenantFilter.sqlite
        let values = postgres ? [scope.setting, scope.setting, scope.tenantID] : [scope.tenantID]
        for (index, piece) in template.split(separator: "?", omittingEmptySubsequences: false).enumerated() {
            if index > 0 { SQLBind(values[index - 1]).serialize(to: &serializer) }
            serializer.write(String(piece))
        }
    }
}

extension SQLPredicateBuilder {
    /// Only `scope`'s rows (``TenantFilter``): for every read, update and delete of a tenant's
    /// rows, inside ``PlatformDatabase/scoped(_:_:)`` or not.
    public func whereTenant(_ scope: TenantScope) -> Self {
        self.where(TenantGate(scope: scope))
    }
}
