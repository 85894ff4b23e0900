import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// The request context of this server's routes: the peer's address, for the rate limit.
public struct AuthorizerRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client IP: the peer address, as gin's `ClientIP()` gives it with no trusted proxy.
    public var clientIP: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientIP = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}
