import ArgumentParser
import Foundation
import Gateway
import Logging
import Metrics
import PlatformDB
import Prometheus

/// Bootstraps swift-metrics with a Prometheus registry exactly once per process; `/metrics` reads it.
enum MetricsBootstrap {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(WithoutUnusedMetrics(base: PrometheusMetricsFactory(registry: registry)))
        return registry
    }()
}
