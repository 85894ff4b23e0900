import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Metrics
import PlatformDB
import Prometheus
import Testing

@Suite struct ObservabilityTests {
    /// swift-metrics is bootstrapped once per process, as the executable does.
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    @Test func requestIDsAreTakenOrMadeAndEchoedAndMetricsAreServed() async throws {
        let logger = Logger(label: "test.observability")
        let database = try await PlatformDatabase.open(.sqliteMemory, logger: logger)
        var configuration = GatewayConfiguration(port: 0, databaseURL: .sqliteMemory)
        configuration.metrics = Self.registry
        let app = try await buildApplication(configuration: configuration, database: database, logger: logger)
        let requestID = HTTPField.Name("X-Request-Id")!
        try await app.test(.ahc(.http)) { client in
            try await client.execute(uri: "/healthz", method: .get, headers: [requestID: "trace-123.abc"]) { response in
                #expect(response.headers[requestID] == "trace-123.abc")
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.headers[requestID]?.count == 32)
            }
            try await client.execute(uri: "/healthz", method: .get, headers: [requestID: String(repeating: "x", count: 200)]) { response in
                #expect(response.headers[requestID]?.count == 32, "an over-long id is replaced")
            }
            try await client.execute(uri: "/no/such/route", method: .get, headers: [requestID: "req-404"]) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[requestID] == "req-404")
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(String(buffer: response.body).contains(#""requestId":"req-404""#))
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(response.status == .ok)
                #expect(text.contains("hb_requests"), "\(text.prefix(500))")
                #expect(text.contains("/healthz"))
            }
        }
    }
}
