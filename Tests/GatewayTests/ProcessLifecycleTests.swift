import AsyncHTTPClient
import AuthorizerClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PlatformDB
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The real `platform` executable: SIGTERM under load loses no acknowledged request, and a full
/// end-to-end run of `platform dev` logs no secret.
@Suite struct ProcessLifecycleTests {
    static func post(_ url: String, _ body: Data, headers: [(String, String)] = [], timeout: TimeAmount = .seconds(5))
        async throws
        -> (status: Int, text: String)
    {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(request, timeout: timeout)
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        return (Int(response.status.code), text)
    }

    static func delivery(_ id: String) -> (body: Data, signature: String) {
        let body = Data(
            #"{"event_name":"user.signup","user":{"id":"\#(id)","email":"\#(id)@example.com","email_verified":true,"updated_at":1}}"#
                .utf8)
        return (body, WebhookSignature.sign(body, secret: "crash-secret-0123456789"))
    }

    @Test func sigtermUnderLoadFinishesInFlightRequestsAndLosesNoAcknowledgedOne() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("term-\(UUID().uuidString)")
        let database = "sqlite://\(folder.path)/platform.sqlite"
        let port = CrashRecoveryTests.freePort()
        let process = try await CrashRecoveryTests.start(database: database, port: port)
        let url = "http://127.0.0.1:\(port)/webhooks/authorizer"

        let exited = Stamp()
        process.terminationHandler = { _ in exited.mark() }
        let signalled = Stamp()
        let acknowledgements = Tally()

        // One delivery is in flight when SIGTERM comes: half its body is sent before, the rest
        // 300 ms after the signal.
        let slow = Task<Int, any Error> {
            let (body, signature) = Self.delivery("slow")
            let (stream, continuation) = AsyncStream.makeStream(of: ByteBuffer.self)
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "X-Authorizer-Signature", value: signature)
            request.body = .stream(stream, length: .known(Int64(body.count)))
            continuation.yield(ByteBuffer(bytes: body.prefix(40)))
            Task {
                while signalled.instant == nil { try await Task.sleep(for: .milliseconds(5)) }
                try await Task.sleep(for: .milliseconds(300))
                continuation.yield(ByteBuffer(bytes: body.dropFirst(40)))
                continuation.finish()
            }
            return Int(try await HTTPClient.shared.execute(request, timeout: .seconds(10)).status.code)
        }

        // Load: 8 senders post distinct deliveries until the server stops answering; SIGTERM
        // comes once 20 are acknowledged, however slow the machine.
        let outcomes = try await withThrowingTaskGroup(of: [(String, Int?)].self) { group in
            for sender in 0..<8 {
                group.addTask {
                    var outcomes: [(String, Int?)] = []
                    for index in 0..<400 {
                        let id = "t\(sender)-\(index)"
                        let (body, signature) = Self.delivery(id)
                        let status = try? await Self.post(url, body, headers: [("X-Authorizer-Signature", signature)])
                            .status
                        if let status, status / 100 == 2 { acknowledgements.add() }
                        outcomes.append((id, status))
                        if status == nil { break }
                    }
                    return outcomes
                }
            }
            group.addTask {
                for _ in 0..<2000 where acknowledgements.count < 20 { try await Task.sleep(for: .milliseconds(5)) }
                signalled.mark()
                kill(process.processIdentifier, SIGTERM)
                return []
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        process.waitUntilExit()
        try await Task.sleep(for: .milliseconds(50))
        let stoppedAfter = try #require(exited.instant) - (try #require(signalled.instant))
        let slowStatus = try await slow.value

        let acknowledged = outcomes.filter { ($0.1 ?? 0) / 100 == 2 }.map(\.0)
        let failed = outcomes.filter { $0.1 != nil && ($0.1 ?? 0) / 100 != 2 }
        print(
            "SIGTERM under load: \(acknowledged.count) acknowledged, \(failed.count) non-2xx answers, exit \(process.terminationStatus) after \(stoppedAfter)"
        )
        #expect(process.terminationReason == .exit && process.terminationStatus == 0, "a graceful stop exits 0")
        #expect(stoppedAfter < .seconds(10), "well within the 30 s default deadline")
        #expect(failed.isEmpty, "every answer before the stop is a 2xx: \(failed.prefix(5))")
        #expect(acknowledged.count >= 20, "the load ran")
        #expect(slowStatus == 202, "the request in flight at SIGTERM was finished")

        // Every acknowledged delivery, the in-flight one included, is applied (after a restart
        // for those the worker had not reached).
        try await CrashRecoveryTests.expectAppliedAfterRestart(acknowledged + ["slow"], database: database, port: port)
        try? FileManager.default.removeItem(at: folder)
    }

    /// A full end-to-end run of `platform dev` (JSON logs at debug level): signup, login, refresh,
    /// workflows, a bad token, password reset, logout and the webhooks behind them. No password,
    /// token, reset token, signature or secret appears in its output, and every log line is JSON.
    @Test func aFullRunLogsNoSecret() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("logs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = CrashRecoveryTests.freePort()
        let authorizerPort = CrashRecoveryTests.freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CrashRecoveryTests.platformBinary)
        process.currentDirectoryURL = folder
        process.arguments = [
            "dev", "--port", String(port), "--authorizer-port", String(authorizerPort), "--log-format", "json",
            "--log-level", "debug", "--disable-mfa",
        ]
        let stdout = folder.appendingPathComponent("stdout.log")
        let stderr = folder.appendingPathComponent("stderr.log")
        _ = FileManager.default.createFile(atPath: stdout.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = try FileHandle(forWritingTo: stderr)
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        let gateway = "http://127.0.0.1:\(port)"
        var ready = false
        for _ in 0..<300 where !ready {
            var request = HTTPClientRequest(url: gateway + "/readyz")
            request.method = .GET
            ready = (try? await HTTPClient.shared.execute(request, timeout: .seconds(1)))?.status == .ok
            if !ready { try await Task.sleep(for: .milliseconds(50)) }
        }
        try #require(ready, "platform dev did not become ready")

        func call(_ method: HTTPMethod, _ path: String, _ json: [String: Any]? = nil, bearer: String? = nil)
            async throws -> [String: Any]
        {
            var request = HTTPClientRequest(url: gateway + path)
            request.method = method
            request.headers.add(name: "Content-Type", value: "application/json")
            if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
            if let json { request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))) }
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            let data = Data(buffer: try await response.body.collect(upTo: 1 << 20))
            return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        }
        let password = "Secr3t!pass-\(UUID().uuidString.prefix(8))"
        let newPassword = "N3w!secret-\(UUID().uuidString.prefix(8))"
        let email = "logs@example.com"
        var secrets: [String] = [password, newPassword]
        _ = try await call(
            .POST, "/auth/signup",
            ["email": email, "password": password, "confirmPassword": password, "clientName": "Logs"])
        let session = try await call(
            .POST, "/auth/login", ["email": email, "password": password, "offlineAccess": true])
        let access = try #require(session["accessToken"] as? String)
        let refresh = try #require(session["refreshToken"] as? String)
        secrets += [access, refresh]
        _ = try await call(.GET, "/auth/me", bearer: access)
        _ = try await call(.POST, "/workflows", ["name": "W", "definition": ["steps": []]], bearer: access)
        _ = try await call(.GET, "/workflows", bearer: access + "x")
        let refreshed = try await call(.POST, "/auth/refresh", ["refreshToken": refresh])
        secrets += [refreshed["accessToken"] as? String, refreshed["refreshToken"] as? String].compactMap { $0 }
        _ = try await call(.POST, "/auth/forgot-password", ["email": email])
        let devSecrets =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: folder.appendingPathComponent("data/dev-secrets.json"))) as? [String: String]
        let adminSecret = try #require(devSecrets?["adminSecret"])
        secrets += [adminSecret, try #require(devSecrets?["clientSecret"])]
        var outbox = HTTPClientRequest(url: "http://127.0.0.1:\(authorizerPort)/_dev/outbox")
        outbox.headers.add(name: "x-authorizer-admin-secret", value: adminSecret)
        let mail = try await HTTPClient.shared.execute(outbox, timeout: .seconds(5)).body.collect(upTo: 1 << 20)
        let messages =
            (try JSONSerialization.jsonObject(with: Data(buffer: mail)) as? [String: Any])?["messages"]
            as? [[String: Any]]
        let link = try #require(messages?.last { $0["kind"] as? String == "forgot_password" }?["link"] as? String)
        // The reset link leads to the web app (--web-app-url, which dev sets); dev logs it, as
        // no mail leaves dev: the one credential its log is meant to show (issue 21).
        #expect(link.hasPrefix("http://127.0.0.1:\(port)/#/reset-password?token="), "\(link)")
        let resetToken = try #require(link.components(separatedBy: "token=").last)
        _ = try await call(
            .POST, "/auth/reset-password",
            ["token": resetToken, "password": newPassword, "confirmPassword": newPassword])
        let again = try await call(.POST, "/auth/login", ["email": email, "password": newPassword])
        let last = try #require(again["accessToken"] as? String)
        secrets.append(last)
        _ = try await call(.POST, "/auth/logout", bearer: last)
        try await Task.sleep(for: .milliseconds(500))  // the webhooks of all this
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()

        let logs = try String(contentsOf: stderr, encoding: .utf8)
        let output = try String(contentsOf: stdout, encoding: .utf8) + logs
        #expect(output.contains(resetToken), "dev logs each mail's link")
        let lines = logs.split(separator: "\n")
        print("log-secret run: \(lines.count) log lines, \(secrets.count) secrets checked")
        #expect(lines.count > 30, "the run logged")
        if let leak = secrets.first(where: { output.contains($0) }) {
            print(output.split(separator: "\n").filter { $0.contains(leak) }.joined(separator: "\n"))
        }
        #expect(logs.contains("\"route\":\"/workflows\""), "request lines are there")
        for line in lines {
            #expect(
                (try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any],
                "not JSON: \(line.prefix(200))")
        }
        for secret in secrets {
            #expect(!output.contains(secret), "a secret is in the output: \(secret.prefix(6))…")
            // A JWT's signature alone is enough to reuse nothing, but its payload would leak claims.
            if secret.split(separator: ".").count == 3 {
                #expect(!output.contains(secret.split(separator: ".")[2]), "a token signature is in the output")
            }
        }
        #expect(!output.lowercased().contains("x-authorizer-signature: "), "no webhook signature header is logged")
    }

    /// `platform authorizer` starts as a process and answers (its options are built by hand).
    @Test func theAuthorizerCommandServes() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("az-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = CrashRecoveryTests.freePort()
        let process = CrashRecoveryTests.authorizerProcess(port: port, folder: folder, extra: ["--log-format", "json"])
        try process.run()
        defer { process.terminate() }
        var status: HTTPResponseStatus?
        for _ in 0..<200 where status != .ok {
            status = try? await HTTPClient.shared.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz"), timeout: .seconds(1)
            ).status
            if status != .ok { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(status == .ok, "platform authorizer did not serve")
    }
}

/// A count shared by concurrent tasks.
final class Tally: Sendable {
    private let storage = Mutex(0)
    func add() { storage.withLock { $0 += 1 } }
    var count: Int { storage.withLock { $0 } }
}

/// When something happened, set from any thread.
final class Stamp: Sendable {
    private let storage = Mutex<ContinuousClock.Instant?>(nil)
    func mark() { storage.withLock { $0 = .now } }
    var instant: ContinuousClock.Instant? { storage.withLock { $0 } }
}
