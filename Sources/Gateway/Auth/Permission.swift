import Hummingbird
import PlatformDB

/// What each role may do inside its tenant: the one table of the permission matrix (docs/multi-tenancy.md).
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
