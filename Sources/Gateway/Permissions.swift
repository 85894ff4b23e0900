import PlatformDB

/// What each role may do inside its tenant: the one table of the README's permission matrix.
/// `SUPER_ADMIN` has none here: operators use `/admin/*` and get no implicit cross-tenant access.
enum Permission: String, CaseIterable, Sendable {
    case readWorkflows, manageWorkflows
    case readReports, createReports, editOwnReports, manageReports
    case manageUsers, manageInvitations, renameTenant, readAuditLog

    static let matrix: [Role: Set<Permission>] = [
        .user: [.readWorkflows, .readReports, .createReports, .editOwnReports],
        .admin: Set(Permission.allCases),
        .superAdmin: [],
    ]
}

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
            throw Problem.forbidden("no-tenant", "you do not belong to a tenant yet: create one with POST /clients or accept an invitation")
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

import Hummingbird
