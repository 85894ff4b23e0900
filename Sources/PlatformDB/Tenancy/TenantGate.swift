import SQLKit

/// ``TenantFilter`` for one tenant, as an SQLKit expression with the tenant's id bound.
struct TenantGate: SQLExpression {
    let tenantID: String

    func serialize(to serializer: inout SQLSerializer) {
        let template = serializer.dialect.name == "postgresql" ? TenantFilter.postgres : TenantFilter.sqlite
        for (index, piece) in template.split(separator: "?", omittingEmptySubsequences: false).enumerated() {
            if index > 0 { SQLBind(tenantID).serialize(to: &serializer) }
            serializer.write(String(piece))
        }
    }
}

extension SQLPredicateBuilder {
    /// Only `scope`'s rows (``TenantFilter``): for every read, update and delete of a tenant's
    /// rows, inside ``PlatformDatabase/scoped(_:_:)`` or not.
    public func whereTenant(_ scope: TenantScope) -> Self {
        self.where(TenantGate(tenantID: scope.tenantID))
    }
}
