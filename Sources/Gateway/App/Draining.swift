import Synchronization

/// Whether this instance is draining: set when a graceful shutdown begins, read by `/readyz`,
/// which answers 503 from then on so that a load balancer stops sending before the server stops
/// accepting (``DrainService``).
public final class Draining: Sendable {
    private let state = Mutex(false)

    public init() {}

    /// True once the drain began; it never ends (the process is stopping).
    public var isDraining: Bool { state.withLock { $0 } }

    /// Marks the instance as draining.
    public func begin() { state.withLock { $0 = true } }
}
