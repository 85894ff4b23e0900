import AuthorizerClient
import Hummingbird
import Logging
import NIOFoundationCompat
import PlatformDB
import ServiceLifecycle
import Synchronization

/// A setting that keeps the gateway from starting, named in the message.
public struct GatewayConfigurationError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
