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

/// The real `platform serve` process, SIGKILLed while webhooks arrive: every delivery that got a
/// 2xx is applied exactly once after the restart.
@Suite struct CrashRecoveryTests {
    static var platformBinary: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent(".build/debug/platform").path
    }

    /// A `platform authorizer` process on `port`, with its database and keys in `folder`, not yet
    /// started; `extra` is appended to its arguments.
    static func authorizerProcess(
        port: Int, folder: URL, clientID: String = "c", clientSecret: String = "s-0123456789abcdef",
        adminSecret: String = "a-0123456789abcdef", extra: [String] = []
    ) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: platformBinary)
        process.arguments =
            [
                "authorizer", "--http-port", String(port), "--client-id", clientID, "--client-secret", clientSecret,
                "--admin-secret", adminSecret, "--database-url", "sqlite://\(folder.path)/az.sqlite", "--data-folder",
                folder.path, "--disable-mfa",
            ] + extra
        return process
    }

    /// A port nobody listens on, for a server the test starts with it. It lies below Linux's
    /// ephemeral range (32768–60999), so that no outgoing connection or port-0 listener of the tests
    /// running beside this one takes it before the server binds it (a port the kernel had just
    /// given and taken back could be handed out again at once), and it is never given out twice.
    static func freePort() -> Int {
        handedOut.withLock { used in
            while true {
                let port = Int.random(in: 20_000..<32_768)
                if !used.contains(port), canBind(port) {
                    used.insert(port)
                    return port
                }
            }
        }
    }

    /// The ports ``freePort()`` gave out in this run.
    private static let handedOut = Mutex<Set<Int>>([])

    /// Whether a listener could bind `port` on 127.0.0.1 now.
    private static func canBind(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        } == 0
    }

    static func start(database: String, port: Int, migrate: Bool = true) async throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: platformBinary)
        process.arguments =
            [
                "serve", "--database-url", database, "--port", String(port), "--without-authorizer", "--drain-period",
                "0",
                "--webhook-authorizer-secret",
                "crash-secret-0123456789",
                "--log-level", "warning",
            ] + (migrate ? [] : ["--no-migrate"])
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        for _ in 0..<200 {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/readyz")
            request.method = .GET
            if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(1)),
                response.status == .ok
            {
                return process
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "platform serve did not become ready"])
    }

    @Test
    func everyAcknowledgedDeliveryIsAppliedOnceAfterSIGKILL() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crash-\(UUID().uuidString)")
        let database = "sqlite://\(folder.path)/platform.sqlite"
        let port = Self.freePort()
        let process = try await Self.start(database: database, port: port)

        // 40 deliveries in flight; the process dies as soon as the 20th is acknowledged.
        let acknowledged = try await withThrowingTaskGroup(of: String?.self) { group in
            for index in 0..<40 {
                group.addTask {
                    let body = Data(
                        #"{"event_name":"user.signup","user":{"id":"k\#(index)","email":"k\#(index)@example.com","email_verified":true,"updated_at":1},"webhook_id":"w"}"#
                            .utf8)
                    var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/webhooks/authorizer")
                    request.method = .POST
                    request.headers.add(name: "Content-Type", value: "application/json")
                    request.headers.add(
                        name: "X-Authorizer-Signature",
                        value: WebhookSignature.sign(body, secret: "crash-secret-0123456789"))
                    request.body = .bytes(ByteBuffer(bytes: body))
                    guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(2)),
                        (200..<300).contains(response.status.code)
                    else { return nil }
                    return "k\(index)"
                }
            }
            var acknowledged: [String] = []
            for try await id in group {
                if let id { acknowledged.append(id) }
                if acknowledged.count == 20 { kill(process.processIdentifier, SIGKILL) }
            }
            return acknowledged
        }
        process.waitUntilExit()
        #expect(acknowledged.count >= 20)

        try await Self.expectAppliedAfterRestart(acknowledged, database: database, port: port)
        try? FileManager.default.removeItem(at: folder)
    }

    /// Restarts `platform serve` on `database` and checks that every acknowledged delivery was
    /// applied, once: nothing left pending, a user per id, no event stored twice.
    static func expectAppliedAfterRestart(_ acknowledged: [String], database: String, port: Int) async throws {
        let restarted = try await start(database: database, port: port)
        defer { restarted.terminate() }
        try await PlatformDatabase.withOpened(try DatabaseURL(database), logger: Logger(label: "test")) { db in
            var pending = 1
            for _ in 0..<200 where pending > 0 {
                pending = try await WebhookInbox(db).events(status: "PENDING").count
                if pending > 0 { try await Task.sleep(for: .milliseconds(25)) }
            }
            #expect(pending == 0)
            for id in acknowledged {
                #expect(try await UserStore(db).find(authorizerID: id) != nil, "\(id) was acknowledged but not applied")
            }
            let perUser = try await db.withConnection { sql in
                try await sql.raw(
                    "SELECT authorizer_id, COUNT(*) AS n FROM webhook_events GROUP BY authorizer_id HAVING COUNT(*) > 1"
                ).all()
            }
            #expect(perUser.isEmpty, "an event was stored twice")
        }
    }
}
