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
    public var tenant: TenantRecord?
    /// The peer's IP address, for per-IP rate limits.
    public var remoteIP: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteIP = source.channel.remoteAddress?.ipAddress
    }
}
