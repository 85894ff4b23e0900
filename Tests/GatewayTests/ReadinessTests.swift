import AsyncHTTPClient
import AuthorizerClient
import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PlatformDB
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Readiness a load balancer can use: whether this instance can serve its traffic. Before,
/// `/readyz` answered 503 whenever Authorizer was down, so a balancer took every instance out
/// during an Authorizer outage although `local` and `hybrid` modes serve without it.
@Suite struct ReadinessTests {
    /// A real `platform authorizer` process, stopped halfway: in `local` and `hybrid` modes the
    /// gateway stays ready and reports Authorizer as a detail; in `remote` mode it is not ready.
    @Test func anAuthorizerOutageMakesOnlyARemoteModeGatewayUnready() async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("ready-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let port = CrashRecoveryTests.freePort()
        let authorizer = CrashRecoveryTests.authorizerProcess(
            port: port, folder: work, clientID: "ready-client", clientSecret: "ready-client-secret-0123456789",
            adminSecret: "ready-admin-0123456789", extra: ["--jwt-type", "RS256", "--log-level", "warning"])
        try authorizer.run()
        defer { if authorizer.isRunning { authorizer.terminate() } }
        let url = "http://127.0.0.1:\(port)"
        #expect(try await ProductionPathTests.waitFor("\(url)/healthz"), "platform authorizer did not start")

        let logger = Logger(label: "test.readiness")
        var running: [(GuardMode, Task<Void, any Error>, Int)] = []
        for mode in [GuardMode.local, .hybrid, .remote] {
            var settings = AuthorizerSettings(url: url, clientID: "ready-client")
            settings.version = .v2
            settings.guardMode = mode
            settings.reconcileInterval = nil
            var webhooks = WebhookAuthentication()
            webhooks.authorizerSecret = "ready-client-secret-0123456789"
            let gatewayPort = CrashRecoveryTests.freePort()
            let database = try await PlatformDatabase.open(.sqliteMemory, logger: logger)
            let app = try await buildApplication(
                configuration: .init(
                    port: gatewayPort, databaseURL: .sqliteMemory, authorizer: settings, webhooks: webhooks),
                database: database, logger: logger)
            running.append((mode, Task { try await app.runService() }, gatewayPort))
        }
        defer { for (_, task, _) in running { task.cancel() } }
        for (mode, _, gatewayPort) in running {
            #expect(try await ProductionPathTests.waitFor("http://127.0.0.1:\(gatewayPort)/readyz"), "\(mode): ready")
        }
        authorizer.terminate()
        authorizer.waitUntilExit()
        for (mode, _, gatewayPort) in running {
            let response = try await HTTPClient.shared.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(gatewayPort)/readyz"), timeout: .seconds(10))
            let body = String(buffer: try await response.body.collect(upTo: 1 << 16))
            if mode == .remote {
                #expect(response.status == .serviceUnavailable, "remote: \(body)")
                #expect(body.contains("authorizer: unreachable"), "remote: \(body)")
            } else {
                #expect(response.status == .ok, "\(mode): \(body)")
                let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
                let details = json?["details"] as? [String: String]
                #expect(details?["authorizer"]?.hasPrefix("unreachable") == true, "\(mode): \(body)")
            }
        }
    }

    /// SIGTERM to a real `serve`: for the drain period `/readyz` answers 503 while requests are
    /// still served, then the process stops and exits 0. The same process shows `/metrics` on its
    /// own port only (`--metrics-port`), without Hummingbird's `hb_request_errors`, which never
    /// moved, and JSON logs whose `status` and `duration_ms` are numbers.
    @Test func sigtermFirstDrainsThenStops() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("drain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (port, metricsPort) = (CrashRecoveryTests.freePort(), CrashRecoveryTests.freePort())
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CrashRecoveryTests.platformBinary)
        process.arguments = [
            "serve", "--database-url", "sqlite://\(folder.path)/platform.sqlite", "--port", String(port),
            "--without-authorizer", "--insecure-webhooks", "--drain-period", "8", "--metrics-port", String(metricsPort),
            "--log-format", "json", "--log-level", "info",
        ]
        let log = folder.appendingPathComponent("serve.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardError = handle
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        let base = "http://127.0.0.1:\(port)"
        #expect(try await ProductionPathTests.waitFor("\(base)/readyz"))
        let publicMetrics = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "\(base)/metrics"), timeout: .seconds(5))
        #expect(publicMetrics.status == .notFound, "/metrics is off the public port")
        let metrics = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(metricsPort)/metrics"), timeout: .seconds(5))
        let exposition = String(buffer: try await metrics.body.collect(upTo: 1 << 22))
        #expect(metrics.status == .ok && exposition.contains("hb_requests"), "\(exposition.prefix(500))")
        #expect(!exposition.contains("hb_request_errors"), "a counter that never moves is not exported")

        let stopping = ContinuousClock.now
        kill(process.processIdentifier, SIGTERM)
        try await Task.sleep(for: .milliseconds(200))
        let ready = try await HTTPClient.shared.execute(HTTPClientRequest(url: "\(base)/readyz"), timeout: .seconds(5))
        let readyBody = String(buffer: try await ready.body.collect(upTo: 1 << 16))
        #expect(ready.status == .serviceUnavailable, "draining: \(readyBody)")
        #expect(readyBody.contains("draining"), "\(readyBody)")
        let live = try await HTTPClient.shared.execute(HTTPClientRequest(url: "\(base)/healthz"), timeout: .seconds(5))
        #expect(live.status == .ok, "still serving while draining")
        while process.isRunning, ContinuousClock.now - stopping < .seconds(30) {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(!process.isRunning)
        #expect(ContinuousClock.now - stopping >= .seconds(8), "stopped before the drain period ended")
        #expect(process.terminationStatus == 0)
        try handle.close()

        let requests = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
            .filter { $0.contains(#""message":"request""#) }
        #expect(!requests.isEmpty, "request lines in the JSON log")
        for line in requests {
            #expect(
                line.contains(/"status":\d/) && line.contains(/"duration_ms":\d/), "numbers, not strings: \(line)")
        }
    }
}
