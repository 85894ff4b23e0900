import Logging
import ServiceLifecycle

/// The first service to stop: at a graceful shutdown (SIGTERM) it marks the instance as draining
/// (`/readyz` answers 503) and waits `period` while the server still serves; only then does the
/// service group stop the HTTP server. Put it last in the group's services, which stop in reverse
/// order. A balancer probing every `inter` seconds and dropping after `fall` failures needs a
/// period above `inter × fall` (docs/deployment.md).
public struct DrainService: Service {
    let draining: Draining
    let period: Duration
    let logger: Logger

    /// `period`: seconds of "not ready" before the server stops accepting (0: none).
    public init(draining: Draining, period: Duration, logger: Logger) {
        self.draining = draining
        self.period = period
        self.logger = logger
    }

    public func run() async throws {
        // Returns when a graceful shutdown begins; throws if the group is cancelled instead.
        do { try await gracefulShutdown() } catch { return }
        draining.begin()
        logger.info("draining: /readyz answers 503", metadata: ["seconds": "\(period.components.seconds)"])
        try? await Task.sleep(for: period)
    }
}
