import Hummingbird
import NIOCore
import Prometheus

/// `/metrics`: the Prometheus text exposition of `registry`; no route without one.
struct MetricsController: RouteAdding, Sendable {
    let registry: PrometheusCollectorRegistry?

    func addRoutes(to routes: RouteGroups) {
        guard let registry else { return }
        routes.open.get("/metrics") { _, _ in Self.exposition(registry) }
    }

    /// The registry as Prometheus text.
    static func exposition(_ registry: PrometheusCollectorRegistry) -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
            body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }
}
