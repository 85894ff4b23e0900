import Metrics

/// The metrics factory, minus Hummingbird's `hb_request_errors`: its `MetricsMiddleware` counts
/// only errors thrown past it, and the gateway turns every error into a problem response before
/// that, so the counter would sit at 0 beside real 5xx answers. Those are counted by
/// `hb_requests{http_response_status_code="5…"}` instead (docs/operations.md, "Metrics").
struct WithoutUnusedMetrics: MetricsFactory {
    let base: any MetricsFactory
    static let dropped: Set<String> = ["hb.request.errors"]

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        Self.dropped.contains(label)
            ? NOOPMetricsHandler.instance : base.makeCounter(label: label, dimensions: dimensions)
    }

    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        base.makeFloatingPointCounter(label: label, dimensions: dimensions)
    }

    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        base.makeMeter(label: label, dimensions: dimensions)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        base.makeRecorder(label: label, dimensions: dimensions, aggregate: aggregate)
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        base.makeTimer(label: label, dimensions: dimensions)
    }

    func destroyCounter(_ handler: any CounterHandler) {
        if handler is NOOPMetricsHandler { return }
        base.destroyCounter(handler)
    }

    func destroyMeter(_ handler: any MeterHandler) { base.destroyMeter(handler) }

    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {
        base.destroyFloatingPointCounter(handler)
    }

    func destroyRecorder(_ handler: any RecorderHandler) { base.destroyRecorder(handler) }

    func destroyTimer(_ handler: any TimerHandler) { base.destroyTimer(handler) }
}
