import Foundation

/// Proof that a query runs for one tenant. Every store method that touches a tenant-owned table
/// takes one, and only two things can make one: a platform user loaded from the database who
/// belongs to a tenant, and an explicit, audited `SUPER_ADMIN` operation. So no code path can
/// query tenant data without a scope, and the compiler checks it.
public struct TenantScope: Sendable, Equatable {
    /// The tenant every query of this scope is filtered by.
    public let tenantID: String
    /// Who acts, for the audit log.
    public let actorID: String
    /// The value of `app.client_id` for this tenant, with its proof when a tenant key is set (``TenantProof``).
    public let setting: String

    private init(tenantID: String, actorID: String) {
        self.tenantID = tenantID
        self.actorID = actorID
        self.setting = TenantProof.setting(for: tenantID)
    }

    /// The scope of a signed-in member of a tenant; nil for a user without one. `UserRecord`s
    /// come only from the database and cannot be edited outside this module, so the tenant is real.
    public static func member(_ user: UserRecord) -> TenantScope? {
        guard let tenantID = user.tenantID, user.status == .active else { return nil }
        return TenantScope(tenantID: tenantID, actorID: user.id)
    }

    /// A platform operator acting inside `tenantID`, written to the audit log first.
    public static func superAdmin(
        _ user: UserRecord, actingIn tenantID: String, reason: String, audit: AuditLog
    ) async throws -> TenantScope {
        guard user.role == .superAdmin, user.status == .active else {
            throw PlatformDBError.constraintViolation("only an active SUPER_ADMIN may act across tenants")
        }
        try await audit.record(
            actor: user.id, action: "tenant.override", target: tenantID, detail: reason, tenantID: tenantID)
        return TenantScope(tenantID: tenantID, actorID: user.id)
    }

    /// An operator at the console (`platform users …`) acting inside `tenantID`: there is no
    /// signed-in user, so the actor is named `cli:<name>`, and the override is audited first.
    public static func console(operator name: String, actingIn tenantID: String, reason: String, audit: AuditLog)
        async throws
        -> TenantScope
    {
        let actor = "cli:\(name)"
        try await audit.record(
            actor: actor, action: "tenant.override", target: tenantID, detail: reason, tenantID: tenantID)
        return TenantScope(tenantID: tenantID, actorID: actor)
    }
}
