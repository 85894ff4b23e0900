import AuthorizerClient
import Hummingbird
import Logging
import PlatformDB

/// The request context of every route: the authentication middleware fills `identity` and `user`.
public struct GatewayRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// This request's id (`X-Request-Id`), set first thing.
    public var requestID: String?
    /// The verified token, once the guard passed.
    public var identity: Identity?
    /// The platform user, once loaded.
    public var user: UserRecord?
    /// The user's tenant, when it has one.
    public var client: ClientRecord?
    /// The peer's IP address, for per-IP rate limits.
    public var remoteIP: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteIP = source.channel.remoteAddress?.ipAddress
    }
}

/// Who the bearer of a verified token is.
public struct Identity: Sendable {
    /// The raw token, to forward to Authorizer on the user's behalf; never logged.
    public var accessToken: String
    public var token: VerifiedToken
}

/// The context of routes that need a signed-in user: it cannot be built without one, so a
/// handler cannot forget to check.
public struct AuthenticatedContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let identity: Identity
    public let user: UserRecord
    /// The user's tenant, when it has one.
    public let client: ClientRecord?

    public init(context: GatewayRequestContext) throws {
        guard let identity = context.identity, let user = context.user else {
            throw Problem.unauthenticated("this route needs a bearer token")
        }
        coreContext = context.coreContext
        self.identity = identity
        self.user = user
        self.client = context.client
    }
}
