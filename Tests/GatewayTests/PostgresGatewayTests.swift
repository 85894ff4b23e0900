import AsyncHTTPClient
import AuthorizerClient
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LocalAuthorizer
import Logging
import NIOCore
import PlatformDB
import TestSupport
import Testing

/// Two gateway instances on one PostgreSQL database.
@Suite(.enabled(if: TestPostgres.adminURL != nil)) struct PostgresGatewayTests {
    static let logger = Logger(label: "test.pg-gateway")

    /// Runs `body` with two gateways sharing one migrated PostgreSQL database (and one local Authorizer).
    static func withTwoGateways(
        test: String,
        _ body: @Sendable (any TestClientProtocol, any TestClientProtocol, DatabaseURL, String) async throws -> Void
    ) async throws {
        try await withGateways(2, test: test) { gateways, url, secret in
            try await body(gateways[0], gateways[1], url, secret)
        }
    }

    /// Runs `body` with `count` gateways sharing one migrated PostgreSQL database and one local
    /// Authorizer, reached `through` a URL and topology of its own (PostgreSQL itself by default) and
    /// configured by `configure`; it gets their clients, the direct URL and the client secret.
    static func withGateways(
        _ count: Int, test: String,
        through: @Sendable (DatabaseURL) -> (DatabaseURL, PlatformDatabase.Topology) = { ($0, .init()) },
        configure: @Sendable (inout GatewayConfiguration) -> Void = { _ in },
        _ body: @Sendable ([any TestClientProtocol], DatabaseURL, String) async throws -> Void
    ) async throws {
        try await TestPostgres.shared.withDatabase(migrated: true, test: test) { url in
            var authorizer = AuthorizerConfiguration(
                clientID: "pg-gw", clientSecret: "cs-\(UUID().uuidString)", adminSecret: "as-0123456789abcdef")
            authorizer.httpPort = 0
            authorizer.disableMFA = true
            authorizer.jwtType = .rs256
            authorizer.jwtPrivateKey = GatewayHarness.signingKeyPEM
            authorizer.bcryptCost = 4
            authorizer.env = "e2e"
            let settled = authorizer
            let authorizerApp = try await buildAuthorizerApplication(configuration: settled, logger: logger)
            try await authorizerApp.test(.ahc(.http)) { authorizerClient in
                var settings = AuthorizerSettings(
                    url: "http://localhost:\(authorizerClient.port ?? 0)", clientID: "pg-gw",
                    adminSecret: "as-0123456789abcdef")
                settings.issuer = settled.issuer
                settings.guardMode = .local
                settings.userCacheTTL = .seconds(60)
                var webhooks = WebhookAuthentication()
                webhooks.authorizerSecret = settled.clientSecret
                let (gatewayURL, topology) = through(url)
                var configuration = GatewayConfiguration(
                    port: 0, databaseURL: gatewayURL, migrateOnStart: false, authorizer: settings, webhooks: webhooks)
                configuration.databaseTopology = topology
                configure(&configuration)
                let settledConfiguration = configuration
                // Each instance on its own pool, as separate processes would be; started one inside another.
                @Sendable func started(_ clients: [any TestClientProtocol]) async throws {
                    guard clients.count < count else { return try await body(clients, url, settled.clientSecret) }
                    let database = try await PlatformDatabase.open(
                        settledConfiguration.databaseURL, logger: logger,
                        topology: settledConfiguration.databaseTopology)
                    let app = try await buildApplication(
                        configuration: settledConfiguration, database: database, logger: logger)
                    try await app.test(.ahc(.http)) { client in try await started(clients + [client]) }
                }
                try await started([])
            }
        }
    }

    /// Two real `platform serve` processes on one PostgreSQL database.
    @Test func aThousandConcurrentDeliveriesOverTwoProcessesMakeOneRowPerUser() async throws {
        try await TestPostgres.shared.withDatabase(
            migrated: true, test: "aThousandConcurrentDeliveriesOverTwoProcessesMakeOneRowPerUser"
        ) { url in
            let database = TestPostgres.commandLine(url)
            let ports = [CrashRecoveryTests.freePort(), CrashRecoveryTests.freePort()]
            var processes: [Process] = []
            for port in ports {
                processes.append(try await CrashRecoveryTests.start(database: database, port: port, migrate: false))
            }
            defer { for process in processes { process.terminate() } }

            // 200 users × 5 deliveries (signup twice, as Authorizer may send it, and three logins).
            var deliveries: [(Int, Data)] = []
            for user in 0..<200 {
                let events = ["user.signup", "user.signup", "user.login", "user.login", "user.login"]
                for (index, event) in events.enumerated() {
                    let json =
                        #"{"event_name":"\#(event)","user":{"id":"pg-\#(user)","email":"pg\#(user)@example.com","email_verified":true,"updated_at":\#(100 + index)},"webhook_id":"w\#(index)"}"#
                    deliveries.append((ports[(user + index) % 2], Data(json.utf8)))
                }
            }
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for (port, body) in deliveries {
                    group.addTask {
                        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/webhooks/authorizer")
                        request.method = .POST
                        request.headers.add(name: "Content-Type", value: "application/json")
                        request.headers.add(
                            name: "X-Authorizer-Signature",
                            value: WebhookSignature.sign(body, secret: "crash-secret-0123456789"))
                        request.body = .bytes(ByteBuffer(bytes: body))
                        return Int(try await HTTPClient.shared.execute(request, timeout: .seconds(30)).status.code)
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.count == 1000)
            #expect(statuses.allSatisfy { $0 == 200 || $0 == 202 }, "\(Set(statuses))")
            try await PlatformDatabase.withOpened(url, logger: Self.logger) { database in
                var pending = 1
                for _ in 0..<400 where pending > 0 {
                    pending = try await WebhookInbox(database).events(status: "PENDING", limit: 1000).count
                    if pending > 0 { try await Task.sleep(for: .milliseconds(50)) }
                }
                #expect(pending == 0)
                let counts = try await database.withConnection { sql in
                    try await sql.raw(
                        "SELECT COUNT(*) AS rows, COUNT(DISTINCT authorizer_id) AS ids FROM users WHERE authorizer_id LIKE 'pg-%'"
                    ).first()
                }
                #expect(try counts?.decode(column: "rows", as: Int.self) == 200)
                #expect(try counts?.decode(column: "ids", as: Int.self) == 200)
                let unapplied = try await database.withConnection { sql in
                    try await sql.raw("SELECT COUNT(*) AS n FROM webhook_events WHERE status <> 'APPLIED'").first()?
                        .decode(column: "n", as: Int.self)
                }
                #expect(unapplied == 0)
            }
        }
    }

    static func call(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ json: String? = nil,
        bearer: String? = nil
    ) async throws -> (HTTPResponse.Status, String) {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let bearer { headers[.authorization] = "Bearer \(bearer)" }
        return try await client.execute(
            uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }
        ) {
            ($0.status, String(buffer: $0.body))
        }
    }

    /// Signs `email` up through `a` (with a new tenant if `clientName` is given) and returns a token from logging in through `b`.
    static func signedIn(
        _ email: String, clientName: String? = nil, a: any TestClientProtocol, b: any TestClientProtocol
    ) async throws -> String {
        let password = GatewayHarness.password
        let tenant = clientName.map { #","clientName":"\#($0)""# } ?? ""
        _ = try await call(
            a, .post, "/auth/signup",
            #"{"email":"\#(email)","password":"\#(password)","confirmPassword":"\#(password)"\#(tenant)}"#)
        let (_, login) = try await call(b, .post, "/auth/login", #"{"email":"\#(email)","password":"\#(password)"}"#)
        let token =
            try #require(JSONSerialization.jsonObject(with: Data(login.utf8)) as? [String: Any])["accessToken"]
            as? String
        return try #require(token)
    }

    @Test func aChangeMadeAnywhereDropsEveryInstancesCachedUser() async throws {
        try await Self.withTwoGateways(test: "aChangeMadeAnywhereDropsEveryInstancesCachedUser") { a, b, url, _ in
            let bearer = try await Self.signedIn("cache@example.com", a: a, b: b)
            #expect(try await Self.call(a, .get, "/auth/me", bearer: bearer).0 == .ok)  // now cached on A for 60 s
            #expect(try await Self.call(b, .get, "/auth/me", bearer: bearer).0 == .ok)

            // A change made outside both instances: PostgreSQL announces it, both drop their copy.
            try await PlatformDatabase.withOpened(url, logger: Self.logger) { database in
                try await database.withConnection { sql in
                    try await sql.raw("UPDATE users SET status = 'SUSPENDED' WHERE email = 'cache@example.com'").run()
                }
            }
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<100 {
                statuses = [
                    try await Self.call(a, .get, "/auth/me", bearer: bearer).0,
                    try await Self.call(b, .get, "/auth/me", bearer: bearer).0,
                ]
                if statuses == [.forbidden, .forbidden] { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(statuses == [.forbidden, .forbidden], "the 60 s cache was not invalidated: \(statuses)")
        }
    }

    /// The names on the first workflow page each instance serves.
    static func names(_ clients: [any TestClientProtocol], bearer: String) async throws -> [[String]] {
        var all: [[String]] = []
        for client in clients {
            let (status, body) = try await call(client, .get, "/workflows?limit=20", bearer: bearer)
            #expect(status == .ok, "\(body)")
            let items =
                (try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["items"]
                as? [[String: Any]] ?? []
            all.append(items.compactMap { $0["name"] as? String })
        }
        return all
    }

    /// Each instance caches its pages, and a change made through either instance, or in the database
    /// behind both, reaches both: at once on the instance that made it, and by notification on the other.
    @Test(.disabled(if: TestPostgres.pooled, "needs a direct connection: the page cache listens for changes"))
    func aWorkflowChangeMadeAnywhereReachesEveryInstancesCachedPage() async throws {
        // The metrics registry first, so that the gateways' page-cache counters report to it.
        let registry = ObservabilityTests.registry
        @Sendable func pageCache(_ result: String) -> Double {
            MetricsMoveTests.value(
                String(decoding: registry.emitToBuffer(), as: UTF8.self), "page_cache_total", ["result": result])
        }
        try await Self.withTwoGateways(test: "aWorkflowChangeMadeAnywhereReachesEveryInstancesCachedPage") {
            a, b, url, _ in
            let bearer = try await Self.signedIn("pages@example.com", clientName: "Page Tenant", a: a, b: b)
            let definition = #"{"trigger":{"type":"manual"},"steps":[]}"#
            let (created, body) = try await Self.call(
                a, .post, "/workflows", #"{"name":"First","definition":\#(definition)}"#, bearer: bearer)
            #expect(created == .created, "\(body)")
            let id = try #require(
                (try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["id"] as? String)
            // The two instances subscribe to notifications as they start; wait until both serve from their cache.
            func sql(_ text: String) async throws {
                try await PlatformDatabase.withOpened(url, logger: Self.logger) { database in
                    try await database.withConnection { try await $0.raw("\(unsafeRaw: text)").run() }
                }
            }
            func listeners() async throws -> Int {
                try await PlatformDatabase.withOpened(url, logger: Self.logger) { database in
                    try await database.withConnection { sql in
                        try await sql.raw(
                            "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%platform_workflows_changed%'"
                        ).first()?.decode(column: "n", as: Int.self) ?? 0
                    }
                }
            }
            #expect(
                try await Self.eventually { try await listeners() == 2 }, "both instances subscribe to workflow changes"
            )
            #expect(try await Self.names([a, b], bearer: bearer) == [["First"], ["First"]])

            // With PostgreSQL's announcements off, the pages come from the caches: a change in the
            // database stays unseen, and a change through A is seen at once on A only.
            try await sql("ALTER TABLE workflows DISABLE TRIGGER workflows_notify_change")
            try await sql("UPDATE workflows SET name = 'Unannounced'")
            let hits = pageCache("hit")
            #expect(try await Self.names([a, b], bearer: bearer) == [["First"], ["First"]])
            #expect(pageCache("hit") - hits >= 2, "page_cache_total{result=hit} did not count the two hits")
            #expect(pageCache("miss") >= 2)
            let (patched, _) = try await Self.call(a, .patch, "/workflows/\(id)", #"{"name":"Second"}"#, bearer: bearer)
            #expect(patched == .ok)
            #expect(try await Self.names([a, b], bearer: bearer) == [["Second"], ["First"]])
            try await sql("ALTER TABLE workflows ENABLE TRIGGER workflows_notify_change")

            // A change behind both instances.
            try await sql("UPDATE workflows SET name = 'Third'")
            #expect(
                try await Self.eventually { try await Self.names([a, b], bearer: bearer) == [["Third"], ["Third"]] })

            // A deletion through B.
            let (deleted, _) = try await Self.call(b, .delete, "/workflows/\(id)", bearer: bearer)
            #expect(deleted == .noContent)
            #expect(try await Self.names([b], bearer: bearer) == [[]])
            #expect(try await Self.eventually { try await Self.names([a, b], bearer: bearer) == [[], []] })
        }
    }

    /// Whether `condition` holds within 2 s, tried every 20 ms.
    static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<100 {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }
}
