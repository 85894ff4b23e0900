import AuthorizerClient
import Hummingbird
import Logging
import PlatformDB

/// The context of routes that need a signed-in user: it cannot be built without one, so a
/// handler cannot forget to check.
public struct AuthenticatedContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let identity: Identity
    public let user: UserRecord
    /// The user's tenant, when it has one.
    public let tenant: TenantRecord?

    public init(context: GatewayRequestContext) throws {
        guard let identity = context.identity, let user = context.user else {
            throw Problem.unauthenticated("this route needs a bearer token")
        }
        coreContext = context.coreContext
        self.identity = identity
        self.user = user
        self.tenant = context.tenant
    }
}
