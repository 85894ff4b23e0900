import AsyncHTTPClient
import AuthorizerClient
import Foundation
import Logging
import NIOCore
import PlatformDB
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real `platform` executable: SIGTERM under load loses no acknowledged request, and a full
/// end-to-end run of `platform dev` logs no secret.
@Suite struct ProcessLifecycleTests {
    static func post(_ url: String, _ body: Data, headers: [(String, String)] = [], timeout: TimeAmount = .seconds(5)) async throws
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
        let body = Data(#"{"event_name":"user.signup","user":{"id":"\#(id)","email":"\#(id)@example.com","email_verified":true,"updated_at":1}}"#.utf8)
        return (body, WebhookSignature.sign(body, secret: "crash-secret"))
    }

    @Test func sigtermUnderLoadFinishesInFlightRequestsAndLosesNoAcknowledgedOne() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("term-\(UUID().uuidString)")
        let database = "sqlite://\(folder.path)/platform.sqlite"
        let port = CrashRecoveryTests.freePort()
        let process = try await CrashRecoveryTests.start(database: database, port: port)
        let url = "http://127.0.0.1:\(port)/webhooks/authorizer"

        // One delivery is in flight when SIGTERM comes: half its body is sent before, half after.
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
                try await Task.sleep(for: .milliseconds(800))
                continuation.yield(ByteBuffer(bytes: body.dropFirst(40)))
                continuation.finish()
            }
            return Int(try await HTTPClient.shared.execute(request, timeout: .seconds(10)).status.code)
        }

        // Load: 8 senders post distinct deliveries until the server stops answering.
        let exited = Stamp()
        process.terminationHandler = { _ in exited.mark() }
        let signalled = Stamp()
        let outcomes = try await withThrowingTaskGroup(of: [(String, Int?)].self) { group in
            for sender in 0..<8 {
                group.addTask {
                    var outcomes: [(String, Int?)] = []
                    for index in 0..<400 {
                        let id = "t\(sender)-\(index)"
                        let (body, signature) = Self.delivery(id)
                        let status = try? await Self.post(url, body, headers: [("X-Authorizer-Signature", signature)]).status
                        outcomes.append((id, status))
                        if status == nil { break }
                    }
                    return outcomes
                }
            }
            group.addTask {
                try await Task.sleep(for: .milliseconds(400))
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
        print("SIGTERM under load: \(acknowledged.count) acknowledged, \(failed.count) non-2xx answers, exit \(process.terminationStatus) after \(stoppedAfter)")
        #expect(process.terminationReason == .exit && process.terminationStatus == 0, "a graceful stop exits 0")
        #expect(stoppedAfter < .seconds(10), "well within the 30 s default deadline")
        #expect(failed.isEmpty, "every answer before the stop is a 2xx: \(failed.prefix(5))")
        #expect(acknowledged.count > 20, "the load ran")
        #expect(slowStatus == 202, "the request in flight at SIGTERM was finished")

        // Every acknowledged delivery, the in-flight one included, is applied (after a restart
        // for those the worker had not reached).
        let restarted = try await CrashRecoveryTests.start(database: database, port: port)
        defer { restarted.terminate() }
        try await PlatformDatabase.withOpened(try DatabaseURL(database), logger: Logger(label: "test")) { db in
            var pending = 1
            for _ in 0..<200 where pending > 0 {
                pending = try await WebhookInbox(db).events(status: "PENDING").count
                if pending > 0 { try await Task.sleep(for: .milliseconds(25)) }
            }
            #expect(pending == 0)
            for id in acknowledged + ["slow"] {
                #expect(try await UserStore(db).find(authorizerID: id) != nil, "\(id) was acknowledged but not applied")
            }
        }
        try? FileManager.default.removeItem(at: folder)
    }
}

/// When something happened, set from any thread.
final class Stamp: Sendable {
    private let storage = Mutex<ContinuousClock.Instant?>(nil)
    func mark() { storage.withLock { $0 = .now } }
    var instant: ContinuousClock.Instant? { storage.withLock { $0 } }
}
