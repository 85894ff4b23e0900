import Hummingbird
import PlatformDB

/// The context of tenant routes: a signed-in, active member of a tenant, with its scope. A route
/// in this group cannot run without a tenant, so no handler can forget to scope its queries.
struct TenantContext: ChildRequestContext {
    var coreContext: CoreRequestContextStorage
    let user: UserRecord
    let scope: TenantScope

    init(context: AuthenticatedContext) throws {
        guard context.user.role != .superAdmin else {
            throw Problem.forbidden("super-admin-not-tenant", "platform operators use the /admin routes")
        }
        guard let scope = TenantScope.member(context.user) else {
            throw Problem.forbidden(
                "no-tenant", "you do not belong to a tenant yet: create one with POST /clients or accept an invitation")
        }
        coreContext = context.coreContext
        user = context.user
        self.scope = scope
    }

    /// Throws 403 unless the user's role grants `permission`.
    func require(_ permission: Permission) throws {
        guard Permission.matrix[user.role, default: []].contains(permission) else {
            throw Problem.forbidden("forbidden", "your role (\(user.role.rawValue)) may not do this")
        }
    }
}
