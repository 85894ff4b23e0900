import Foundation
import SQLKit

/// Records refused cross-tenant attempts. The caller still answers 404, exactly as for a missing
/// row; the attempt goes to the audit log of the tenant whose user made it, and to the platform's.
public struct CrossTenantAudit: Sendable {
    let database: PlatformDatabase

    public init(_ database: PlatformDatabase) {
        self.database = database
    }

    /// The tables whose rows belong to a tenant.
    public enum Table: String, Sendable {
        case workflows, reports, invitations, users
    }

    /// If `id` names a row of another tenant, records the attempt. Never throws: auditing must not
    /// change the answer.
    public func recordIfForeign(_ table: Table, id: String, in scope: TenantScope, now: Date = Date()) async {
        do {
            let owner: String? = try await database.withConnection { sql in
                switch database.dialect {
                case .postgres:
                    try await sql.raw("SELECT platform_row_tenant(\(bind: table.rawValue), \(bind: id)) AS owner")
                        .first()?
                        .decode(column: "owner", as: String?.self)
                case .sqlite:
                    try await sql.select().column("client_id", as: "owner").from(table.rawValue).where(
                        "id", .equal, SQLBind(id)
                    )
                    .first()?.decode(column: "owner", as: String?.self)
                }
            }
            guard let owner, owner != scope.tenantID else { return }
            try await database.scoped(scope) { sql in
                // The tenant's own log names the kind of row, not the other tenant's id.
                try await AuditLog.insert(
                    on: sql, tenantID: scope.tenantID, actor: scope.actorID, action: "cross_tenant.refused",
                    target: table.rawValue, detail: "a \(table.rawValue) id of another tenant", now: now)
                try await AuditLog.insert(
                    on: sql, tenantID: nil, actor: scope.actorID, action: "cross_tenant.refused",
                    target: "\(table.rawValue)/\(id)", detail: "from tenant \(scope.tenantID) into \(owner)", now: now)
            }
        } catch {
            // The request is answered 404 either way; the audit trail is best effort.
        }
    }
}
