import AuthorizerClient
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PlatformDB
import PropertyBased
import TestSupport
import Testing

/// One event that the database cannot take must not stop the others (issue 18, fault 2): a NUL in
/// a correctly signed `given_name` made PostgreSQL answer 22021, the worker took it for an outage
/// and retried the same batch forever while every later event waited.
@Suite struct PoisonEventTests {
    static let logger = Logger(label: "test.poison")
    static let secret = "poison-secret-0123456789"

    /// A gateway that receives webhooks only, on `backend`.
    static func withReceiver(
        _ backend: GatewayHarness.Backend, test: String = #function,
        configure: @Sendable (inout GatewayConfiguration) -> Void = { _ in },
        _ body: @Sendable (any TestClientProtocol, PlatformDatabase) async throws -> Void
    ) async throws {
        try await GatewayHarness.withDatabase(backend, test: test) { url, database in
            var auth = WebhookAuthentication()
            auth.authorizerSecret = secret
            var configuration = GatewayConfiguration(port: 0, databaseURL: url, webhooks: auth)
            configure(&configuration)
            let app = try await buildApplication(configuration: configuration, database: database, logger: logger)
            try await app.test(.ahc(.http)) { client in try await body(client, database) }
        }
    }

    /// Posts `json` signed as Authorizer signs (HMAC-SHA256 of the raw bytes with the client secret).
    static func deliver(_ client: any TestClientProtocol, _ json: String) async throws -> (HTTPResponse.Status, String)
    {
        let data = Data(json.utf8)
        let headers: HTTPFields = [
            .contentType: "application/json",
            HTTPField.Name("X-Authorizer-Signature")!: WebhookSignature.sign(data, secret: secret),
        ]
        return try await client.execute(
            uri: "/webhooks/authorizer", method: .post, headers: headers, body: ByteBuffer(bytes: data)
        ) {
            ($0.status, String(buffer: $0.body))
        }
    }

    /// A `user.signup` body; `given` and `email` are JSON text, escapes and all.
    static func signup(id: String, email: String, given: String = "Ann", updatedAt: Int = 100) -> String {
        #"{"event_name":"user.signup","user":{"id":"\#(id)","email":"\#(email)","given_name":"\#(given)","family_name":"Lee","email_verified":true,"updated_at":\#(updatedAt)}}"#
    }

    static func eventually(_ condition: @Sendable () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(25))
        }
        return try await condition()
    }

    @Test(arguments: GatewayHarness.Backend.available)
    func aNulInANameIsDroppedAndABadEmailIsParkedWhileTheRestIsApplied(_ backend: GatewayHarness.Backend) async throws {
        try await Self.withReceiver(backend) { client, database in
            // Decided: control characters in a name are dropped; the rest of the name is kept.
            #expect(
                try await Self.deliver(
                    client, Self.signup(id: "nul-name", email: "nul@example.com", given: #"A\u0000B\u0007C"#)
                ).0 == .accepted)
            // An email is an identity and is never cleaned: one with a NUL is parked with its reason.
            #expect(
                try await Self.deliver(client, Self.signup(id: "nul-email", email: #"x\u0000@example.com"#)).0
                    == .accepted)
            // Events after the poison ones are applied all the same.
            for index in 0..<5 {
                #expect(
                    try await Self.deliver(
                        client, Self.signup(id: "after-\(index)", email: "after\(index)@example.com")
                    ).0 == .accepted)
            }
            let users = UserStore(database)
            let inbox = WebhookInbox(database)
            #expect(try await Self.eventually { try await inbox.events(status: "PENDING").isEmpty })
            let named = try await users.find(authorizerID: "nul-name")
            #expect(named?.firstName == "ABC")
            #expect(named?.lastName == "Lee")
            for index in 0..<5 { #expect(try await users.find(authorizerID: "after-\(index)") != nil) }
            #expect(try await users.find(authorizerID: "nul-email") == nil)
            let failed = try await inbox.events(status: "FAILED")
            #expect(failed.map(\.authorizerID) == ["nul-email"])
            #expect(failed.first?.attempts == 1, "a permanent failure is parked at once, not retried")
            #expect(failed.first?.lastError?.contains("control character") == true, "\(failed.first?.lastError ?? "")")
            // An id the database cannot hold is refused before it is stored.
            let (status, text) = try await Self.deliver(
                client, Self.signup(id: #"bad\u0000id"#, email: "id@example.com"))
            #expect(status == .badRequest, "\(text)")
            #expect(try await client.execute(uri: "/readyz", method: .get) { $0.status } == .ok)
        }
    }

    /// An error the database gives for one event's data, outside the data-exception class (an email
    /// too long for its unique index: 54000 on PostgreSQL), parks that event; it was taken for an
    /// outage, and the batch was retried every second while every later event waited.
    @Test(arguments: GatewayHarness.Backend.available)
    func anEmailTooLongForItsIndexDoesNotStopTheInbox(_ backend: GatewayHarness.Backend) async throws {
        try await Self.withReceiver(backend) { client, database in try await Self.deliverLongEmail(client, database) }
    }

    static func deliverLongEmail(_ client: any TestClientProtocol, _ database: PlatformDatabase) async throws {
        let longEmail = String(repeating: "x", count: 9000) + "@example.com"
        let first = try await deliver(client, signup(id: "long", email: longEmail))
        #expect(first.0 == .accepted)
        let second = try await deliver(client, signup(id: "after", email: "after@example.com"))
        #expect(second.0 == .accepted)
        let inbox = WebhookInbox(database)
        let settled = try await eventually { try await inbox.events(status: "PENDING").isEmpty }
        #expect(settled)
        let after = try await UserStore(database).find(authorizerID: "after")
        #expect(after != nil)
    }

    /// Without the admin secret nobody can say whose an email is: a webhook's claim (which may be
    /// late or replayed) does not release the row that holds the address; it waits to be tried again.
    @Test func aWebhooksUnconfirmedClaimReleasesNoOne() async throws {
        try await Self.withReceiver(.sqlite) { client, database in
            let users = UserStore(database)
            try await users.upsertFromAuthorizer(
                .init(authorizerID: "holder", email: "x@example.com", firstName: nil, lastName: nil, status: .active))
            #expect(try await Self.deliver(client, Self.signup(id: "claimant", email: "x@example.com")).0 == .accepted)
            let inbox = WebhookInbox(database)
            #expect(try await Self.eventually { try await inbox.events(status: "PENDING").first?.attempts == 1 })
            #expect(try await users.find(authorizerID: "holder")?.email == "x@example.com")
            #expect(try await users.find(authorizerID: "claimant") == nil)
        }
    }

    /// Every field of a signed webhook body, fed hostile values: each delivery is answered below
    /// 500, every accepted one ends APPLIED or FAILED with a reason (never pending forever), and
    /// the process lives on.
    @Test(arguments: GatewayHarness.Backend.available)
    func everyWebhookFieldTakesHostileValues(_ backend: GatewayHarness.Backend) async throws {
        // JSON values as a sender could write them: strings with escapes (NUL, a lone surrogate,
        // controls, 10k characters), numbers at and past every limit, and the wrong types.
        let strings = [
            #""""#, #""\u0000""#, #""a\u0000b""#, #""\ud800""#, #""\udc00x""#, #""\u001f\u007f\u0085""#, #""\u202e""#,
            "\"\(String(repeating: "x", count: 10_000))\"", #""é""#, #""1e13""#,
        ]
        let numbers = [
            "0", "-1", "1e13", "-1e13", "1e308", "1e309", "9223372036854775807", "9223372036854775808",
            "-9223372036854775809",
            "1.5", "100000000000000", "-0",
        ]
        let others = ["null", "true", "[]", "{}"]
        let value = Gen<String>.frequency(
            (3, Gen.element(of: strings).map { $0 ?? "null" }), (2, Gen.element(of: numbers).map { $0 ?? "0" }),
            (1, Gen.element(of: others).map { $0 ?? "null" }))
        let fields = [
            "id", "email", "given_name", "family_name", "email_verified", "email_verified_at", "updated_at", "roles",
        ]
        let events = [
            "user.signup", "user.login", "user.deleted", "user.deactivated", "user.access_revoked",
            "user.access_enabled",
        ]
        try await Self.withReceiver(backend) { client, database in
            var counter = 0
            for field in fields {
                await propertyCheck(count: 25, input: value, Gen.element(of: events).map { $0 ?? "user.signup" }) {
                    hostile, event in
                    counter += 1
                    var user = [
                        "id": "\"fuzz-\(counter)\"", "email": "\"fuzz\(counter)@example.com\"", "given_name": "\"F\"",
                        "email_verified": "true", "updated_at": "\(counter)",
                    ]
                    user[field] = hostile
                    let body =
                        #"{"event_name":"\#(event)","user":{\#(user.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ","))}}"#
                    let (status, text) = try await Self.deliver(client, body)
                    #expect(status.code < 500, "\(field)=\(hostile.prefix(40)) → \(status.code) \(text)")
                }
            }
            let inbox = WebhookInbox(database)
            // Every event was tried: applied, parked with its reason, or (two fuzzed users claiming
            // one email, which without the admin secret nobody can settle) waiting for its retry
            // with its reason.
            #expect(
                try await Self.eventually {
                    try await inbox.events(status: "PENDING", limit: 500).allSatisfy {
                        $0.attempts >= 1 && $0.lastError != nil
                    }
                }, "no event is left untried")
            for event in try await inbox.events(status: "PENDING", limit: 500) {
                #expect(
                    event.lastError?.contains("whose an email") == true,
                    "only email claims wait: \(event.lastError ?? "")")
            }
            for event in try await inbox.events(status: "FAILED", limit: 500) {
                #expect(event.lastError?.isEmpty == false, "a parked event says why")
            }
            #expect(try await client.execute(uri: "/healthz", method: .get) { $0.status } == .ok)
        }
    }

    /// An inbox that stops moving shows in `/readyz` and in the age of its oldest pending event.
    /// PostgreSQL only: a worker that waits on a user's lock, held by a transaction that does not
    /// end, is what a stuck worker looks like.
    @Test(.enabled(if: TestPostgres.adminURL != nil))
    func aStalledInboxMakesReadinessFail() async throws {
        try await Self.withReceiver(.postgres, configure: { $0.webhookStallAfter = .seconds(1) }) { client, database in
            #expect(try await client.execute(uri: "/readyz", method: .get) { $0.status } == .ok)
            // The user's per-user lock (UserSyncStore.lockSpace), held first; then the event comes.
            let (locked, signal) = AsyncStream.makeStream(of: Void.self)
            let holder = Task {
                try await database.transaction { sql in
                    try await sql.raw("SELECT pg_advisory_xact_lock(1398361667, hashtext('held'))").run()
                    signal.yield()
                    try await Task.sleep(for: .seconds(30))
                }
            }
            defer { holder.cancel() }
            for await _ in locked { break }
            let inbox = WebhookInbox(database)
            _ = try await inbox.accept(
                eventName: "user.signup", authorizerID: "held", bodyHash: "h", dedupeKey: "held",
                body: Self.signup(id: "held", email: "held@example.com"), now: Date(timeIntervalSinceNow: -5))
            #expect(
                try await Self.eventually {
                    try await client.execute(uri: "/readyz", method: .get) {
                        $0.status == .serviceUnavailable && String(buffer: $0.body).contains("webhook_inbox: stalled")
                    }
                })
            let backlog = try await inbox.backlog()
            #expect(backlog.pending == 1)
            #expect(backlog.oldestReceivedAt.map { Date().timeIntervalSince($0) >= 5 } == true)
            holder.cancel()
            #expect(
                try await Self.eventually {
                    try await client.execute(uri: "/readyz", method: .get) { $0.status } == .ok
                }, "once the lock is free the worker applies the event and readiness returns")
            // Applied once its retry comes due (it may be waiting out a backoff while readiness is back).
            var applied = false
            for _ in 0..<600 where !applied {
                applied = try await UserStore(database).find(authorizerID: "held") != nil
                if !applied { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(applied, "the held user's event is applied after the lock is freed")
        }
    }
}
