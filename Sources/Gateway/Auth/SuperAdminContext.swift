import Foundation
import Hummingbird
import PlatformDB

/// The context of `/admin/*`: a signed-in `SUPER_ADMIN`, or the route cannot run.
struct SuperAdminContext: ChildRequestContext {
    var coreContext: CoreRequestContextStorage
    let user: UserRecord

    init(context: AuthenticatedContext) throws {
        guard context.user.role == .superAdmin else {
            throw Problem.forbidden("super-admin-only", "this route is for platform operators")
        }
        coreContext = context.coreContext
        user = context.user
    }
}
