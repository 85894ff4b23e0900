import AuthorizerClient
import Hummingbird
import Logging
import NIOFoundationCompat
import PlatformDB
import ServiceLifecycle
import Synchronization

/// Every route the gateway serves, for tools and tests that must cover them all (the
/// cross-tenant harness, the OpenAPI check).
public final class RouteCatalog: Sendable {
    private let storage = Mutex<[(method: String, path: String)]>([])

    public init() {}

    func record(_ routes: [(String, String)]) {
        storage.withLock { $0 = routes.map { (method: $0.0, path: $0.1) } }
    }

    /// `(method, path)` pairs, parameters written `{name}`.
    public var routes: [(method: String, path: String)] { storage.withLock { $0 } }
}
