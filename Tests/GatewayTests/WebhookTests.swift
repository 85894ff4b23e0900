import AuthorizerClient
import Crypto
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PlatformDB
import TestSupport
import Testing

@Suite struct WebhookTests {
    /// The seed's e2e test: signup at Authorizer → webhook → platform user, same email, ACTIVE.
    @Test func signupAtAuthorizerReachesThePlatformThroughTheWebhook() async throws {
        try await GatewayHarness.with(mode: .local) { h in
            let answer = try await h.authorizerClient.signup(
                email: "seed@example.com", password: GatewayHarness.password, confirmPassword: GatewayHarness.password,
                givenName: "John", familyName: "Doe")
            let id = try #require(answer.user?.id)
            let arrived = try await h.eventually { try await UserStore(h.database).find(authorizerID: id) != nil }
            #expect(arrived)
            let user = try await UserStore(h.database).find(authorizerID: id)
            #expect(user?.email == "seed@example.com")
            #expect(user?.status == .active)
            #expect(user?.firstName == "John")
        }
    }

    @Test func localModeRefusesARevokedUserOnceTheWebhookArrives() async throws {
        try await GatewayHarness.with(mode: .local) { h in
            let signup = try await h.signup("lr@example.com")
            let id = try #require(signup.json["user"]["authorizerId"].string)
            let token = try await h.login("lr@example.com")
            #expect(try await h.request(.get, "/auth/me", bearer: token).status == .ok)
            try await h.authorizerAdmin(
                "mutation ($p: UpdateAccessRequest!) { _revoke_access(param: $p) { message } }",
                variables: ["p": ["user_id": id]])
            let refused = try await h.eventually {
                let status = try await h.request(.get, "/auth/me", bearer: token).status
                return status == .unauthorized || status == .forbidden
            }
            #expect(refused)
            #expect(try await UserStore(h.database).find(authorizerID: id)?.status == .suspended)
        }
    }

    // MARK: Signature schemes

    static let body = Data(
        #"{"event_name":"user.login","user":{"id":"u1","email":"a@b.co","email_verified":true,"updated_at":10}}"#.utf8)

    static func accepted(_ result: Result<String?, WebhookAuthentication.Refusal>) -> Bool {
        if case .success = result { return true }
        return false
    }

    @Test func eachSchemeIsAcceptedWhenRightAndRefusedWhenWrongTamperedOrStale() {
        var auth = WebhookAuthentication()
        auth.authorizerSecret = "client-secret"
        auth.signatureSecret = "seed-secret"
        let rawKey = Data((0..<24).map { UInt8($0) })
        auth.standardWebhookSecrets = [
            "whsec_" + Data("old-key-old-key-old-key!".utf8).base64EncodedString(),
            "whsec_" + rawKey.base64EncodedString(),
        ]
        auth.staticHeader = ("X-Webhook-Secret", "static-value")
        let body = Self.body
        var tampered = body
        tampered[10] ^= 1

        let authorizerSig = WebhookSignature.sign(body, secret: "client-secret")
        #expect(
            Self.accepted(
                auth.authenticate(headers: [HTTPField.Name("X-Authorizer-Signature")!: authorizerSig], body: body)))
        #expect(
            auth.authenticate(headers: [HTTPField.Name("X-Authorizer-Signature")!: authorizerSig], body: tampered)
                == .failure(.badSignature))
        #expect(
            auth.authenticate(
                headers: [HTTPField.Name("X-Authorizer-Signature")!: WebhookSignature.sign(body, secret: "nope")],
                body: body) == .failure(.badSignature))

        let seedSig = "sha256=" + WebhookSignature.sign(body, secret: "seed-secret")
        #expect(
            Self.accepted(auth.authenticate(headers: [HTTPField.Name("x-webhook-signature")!: seedSig], body: body)))
        #expect(
            auth.authenticate(headers: [HTTPField.Name("x-webhook-signature")!: seedSig], body: tampered)
                == .failure(.badSignature))

        let now = Date()
        func standard(_ at: Date, key: Data, body: Data) -> HTTPFields {
            let timestamp = String(Int(at.timeIntervalSince1970))
            var message = Data("msg_1.\(timestamp).".utf8)
            message.append(body)
            let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))
            return [
                HTTPField.Name("webhook-id")!: "msg_1", HTTPField.Name("webhook-timestamp")!: timestamp,
                HTTPField.Name("webhook-signature")!: "v1,bm90LXRoaXMtb25l v1," + Data(mac).base64EncodedString(),
            ]
        }
        #expect(
            auth.authenticate(headers: standard(now, key: rawKey, body: body), body: body, now: now)
                == .success("msg_1"))
        #expect(
            auth.authenticate(headers: standard(now, key: rawKey, body: body), body: tampered, now: now)
                == .failure(.badSignature))
        #expect(
            auth.authenticate(
                headers: standard(now.addingTimeInterval(-301), key: rawKey, body: body), body: body, now: now)
                == .failure(.stale))
        #expect(
            auth.authenticate(
                headers: standard(now.addingTimeInterval(400), key: rawKey, body: body), body: body, now: now)
                == .failure(.stale))

        #expect(
            Self.accepted(auth.authenticate(headers: [HTTPField.Name("X-Webhook-Secret")!: "static-value"], body: body))
        )
        #expect(
            auth.authenticate(headers: [HTTPField.Name("X-Webhook-Secret")!: "static-valuf"], body: body)
                == .failure(.badSignature))
        #expect(auth.authenticate(headers: [:], body: body) == .failure(.unsigned))
    }

    // MARK: Inbox and ordering, through HTTP

    static func withReceiver(_ body: @Sendable (any TestClientProtocol, PlatformDatabase) async throws -> Void)
        async throws
    {
        let logger = Logger(label: "test.webhooks")
        let database = try await PlatformDatabase.open(.sqliteMemory, logger: logger)
        var auth = WebhookAuthentication()
        auth.authorizerSecret = "receiver-secret-0123456789"
        let app = try await buildApplication(
            configuration: .init(port: 0, databaseURL: .sqliteMemory, webhooks: auth), database: database,
            logger: logger)
        try await app.test(.ahc(.http)) { client in try await body(client, database) }
    }

    static func deliver(
        _ client: any TestClientProtocol, _ json: String, path: String = "/webhooks/authorizer", signed: Bool = true,
        secret: String = "receiver-secret-0123456789"
    ) async throws -> HTTPResponse.Status {
        let data = Data(json.utf8)
        var headers: HTTPFields = [.contentType: "application/json"]
        if signed {
            headers[HTTPField.Name("X-Authorizer-Signature")!] = WebhookSignature.sign(data, secret: secret)
        }
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(bytes: data)) {
            $0.status
        }
    }

    static func event(
        _ name: String, id: String = "u1", email: String = "u1@example.com", updatedAt: Int, name given: String = "U"
    ) -> String {
        #"{"event_name":"\#(name)","user":{"id":"\#(id)","email":"\#(email)","given_name":"\#(given)","email_verified":true,"updated_at":\#(updatedAt)},"webhook_id":"w"}"#
    }

    static func settled(_ database: PlatformDatabase) async throws -> Bool {
        try await WebhookInbox(database).events(status: "PENDING").isEmpty
    }

    @Test func duplicatesHaveOneEffectAndBadDeliveriesAre4xx() async throws {
        try await Self.withReceiver { client, database in
            let signup = Self.event("user.signup", updatedAt: 10)
            let first = try await Self.deliver(client, signup)
            #expect(first == .accepted)
            #expect(try await Self.deliver(client, signup) == .ok)  // duplicate: acknowledged, not stored again
            #expect(try await WebhookInbox(database).events(status: nil).count == 1)

            #expect(try await Self.deliver(client, signup, signed: false) == .unauthorized)
            #expect(try await Self.deliver(client, "{not json") == .badRequest)
            #expect(try await Self.deliver(client, #"{"event_name":"user.login","user":{}}"#) == .badRequest)
            #expect(try await Self.deliver(client, Self.event("group.created", updatedAt: 1)) == .unprocessableContent)
            #expect(
                try await Self.deliver(
                    client, Self.event("user.login", updatedAt: 1), path: "/webhooks/authorizer/user-signup")
                    == .unprocessableContent)
            let huge = #"{"event_name":"user.login","pad":""# + String(repeating: "x", count: 1_100_000) + #""}"#
            #expect(try await Self.deliver(client, huge) == .contentTooLarge)
            #expect(
                try await WebhookInbox(database).events(status: nil).count == 1,
                "nothing stored from refused deliveries")
            let refusals = try await AuditLog(database).entries(action: "webhook.refused")
            #expect(refusals.count == 1)
            #expect(refusals.first?.detail == "unsigned")
        }
    }

    @Test func outOfOrderEventsReachTheRightFinalState() async throws {
        try await Self.withReceiver { client, database in
            // Login before signup: the user exists, with its login time.
            let loginFirst = try await Self.deliver(
                client, Self.event("user.login", id: "a", email: "a@example.com", updatedAt: 20))
            #expect(loginFirst == .accepted)
            #expect(
                try await Self.deliver(
                    client, Self.event("user.signup", id: "a", email: "a@example.com", updatedAt: 10),
                    path: "/webhooks/authorizer/user-signup") == .accepted)
            // Deleted before a late login: stays deleted.
            #expect(
                try await Self.deliver(
                    client, Self.event("user.signup", id: "b", email: "b@example.com", updatedAt: 10)) == .accepted)
            #expect(
                try await Self.deliver(
                    client, Self.event("user.deleted", id: "b", email: "b@example.com", updatedAt: 30)) == .accepted)
            #expect(
                try await Self.deliver(client, Self.event("user.login", id: "b", email: "b@example.com", updatedAt: 20))
                    == .accepted)
            // An old signup after a newer login does not overwrite the newer name.
            #expect(
                try await Self.deliver(
                    client, Self.event("user.login", id: "c", email: "c@example.com", updatedAt: 50, name: "New"))
                    == .accepted)
            #expect(
                try await Self.deliver(
                    client, Self.event("user.signup", id: "c", email: "c@example.com", updatedAt: 40, name: "Old"))
                    == .accepted)
            // A deactivation before the signup it follows: the user exists, suspended, with the names.
            #expect(
                try await Self.deliver(
                    client, Self.event("user.deactivated", id: "d", email: "d@example.com", updatedAt: 70, name: "Dee"))
                    == .accepted)
            #expect(
                try await Self.deliver(
                    client, Self.event("user.signup", id: "d", email: "d@example.com", updatedAt: 60, name: "Early"))
                    == .accepted)
            // A deletion of a user never seen: a tombstone row, which a late signup does not revive.
            #expect(
                try await Self.deliver(
                    client, Self.event("user.deleted", id: "e", email: "e@example.com", updatedAt: 90)) == .accepted)
            #expect(
                try await Self.deliver(
                    client, Self.event("user.signup", id: "e", email: "e@example.com", updatedAt: 80)) == .accepted)

            var done = false
            for _ in 0..<200 where !done {
                done = try await Self.settled(database)
                if !done { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(done)
            let users = UserStore(database)
            let a = try await users.find(authorizerID: "a")
            #expect(a?.status == .active)
            #expect(a?.lastLoginAt != nil)
            #expect(try await users.find(authorizerID: "b")?.status == .deleted)
            #expect(try await users.find(authorizerID: "c")?.firstName == "New")
            let d = try await users.find(authorizerID: "d")
            #expect(d?.status == .suspended)
            #expect(d?.firstName == "Dee")
            #expect(try await users.find(authorizerID: "e")?.status == .deleted)
            #expect(try await WebhookInbox(database).events(status: "FAILED").isEmpty)
        }
    }

    @Test func aDeletedUsersEmailCanSignUpAgainUnderANewID() async throws {
        try await Self.withReceiver { client, database in
            let first = try await Self.deliver(
                client, Self.event("user.signup", id: "old", email: "again@example.com", updatedAt: 1))
            #expect(first == .accepted)
            #expect(
                try await Self.deliver(
                    client, Self.event("user.deleted", id: "old", email: "again@example.com", updatedAt: 2))
                    == .accepted)
            #expect(
                try await Self.deliver(
                    client, Self.event("user.signup", id: "new", email: "again@example.com", updatedAt: 3)) == .accepted
            )
            var done = false
            for _ in 0..<200 where !done {
                done = try await Self.settled(database)
                if !done { try await Task.sleep(for: .milliseconds(20)) }
            }
            let users = UserStore(database)
            #expect(try await users.find(authorizerID: "new")?.email == "again@example.com")
            #expect(try await users.find(authorizerID: "new")?.status == .active)
            #expect(try await users.find(authorizerID: "old")?.status == .deleted)
            #expect(try await WebhookInbox(database).events(status: "FAILED").isEmpty)
        }
    }

    @Test func theGatewayRefusesToStartWithoutWebhookAuthentication() async throws {
        let logger = Logger(label: "test")
        let database = try await PlatformDatabase.open(.sqliteMemory, logger: logger)
        var settings = AuthorizerSettings(url: "http://127.0.0.1:9", clientID: "c")
        settings.version = .v2
        await #expect(throws: GatewayConfigurationError.self) {
            _ = try await buildApplication(
                configuration: .init(port: 0, authorizer: settings), database: database, logger: logger)
        }
    }
}

/// Authorizer 2.4.0's own webhook bodies, byte for byte, with the signatures it sends
/// (`Tests/Fixtures/authorizer/golden/`, written by 2.4.0's marshalling path, `events/events.go`;
/// client secret `golden-client-secret`): the gateway verifies each on its raw bytes, reads what
/// it needs from Go's map encoding (`enrolled_mfa_methods` null, escaped `&`, `<`, `>`, no id, no
/// timestamp) and applies them in the order they arrive.
@Suite struct GoldenWebhookTests {
    static let deliveries: [(event: String, signature: String)] = [
        ("user.created", "fded41d6fd559557bf1447d06e47f699bd92f41255c089b3e62f2c2cf5209ead"),
        ("user.signup", "5468416688ed5cb4da24f16b22c9ab26cd8c78c0caf57795e344a07d9dab3ce9"),
        ("user.login", "747325a12465a105e270151003aefe29b543f8acd67343e7ce13747d2d69f768"),
        ("user.access_revoked", "ec1b024ee10977f6bb82441aac7e56014a3ef5d42e120cb019f3240761180614"),
        ("user.access_enabled", "9f4446a7b96cf58e285155f91cc899170a9989363cd0527fcdedcd5085de4569"),
        ("user.deactivated", "b0974768749641f93e19620c47c5c3a417bb89d08bc7df87ed31aa21ff92b665"),
        ("user.deleted", "4db43f8f07ab32183009df2c5ecb66de954afe379cd992f1cca083631a3b4cea"),
    ]
    static let userID = "8a2f9b1e-4c3d-4e5f-9a8b-7c6d5e4f3a2b"

    @Test func authorizers240BodiesAreVerifiedAndApplied() async throws {
        try await GatewayHarness.with(
            mode: .local, webhooksDelivered: false, configure: { $0.webhooks.authorizerSecret = "golden-client-secret" }
        ) { h in
            let users = UserStore(h.database)
            for (event, signature) in Self.deliveries {
                let body = try Fixtures.data("authorizer/golden/\(event).json")
                let tampered = try await h.request(
                    .post, "/webhooks/authorizer", body: body + Data(" ".utf8),
                    headers: [HTTPField.Name("X-Authorizer-Signature")!: signature])
                #expect(tampered.status == .unauthorized, "\(event), one byte more: \(tampered.text)")
                let reply = try await h.request(
                    .post, "/webhooks/authorizer", body: body,
                    headers: [HTTPField.Name("X-Authorizer-Signature")!: signature])
                #expect(reply.status == .accepted, "\(event): \(reply.text)")
                let applied = try await h.eventually {
                    let user = try await users.find(authorizerID: Self.userID)
                    return switch event {
                    case "user.created", "user.signup", "user.login", "user.access_enabled": user?.status == .active
                    case "user.access_revoked", "user.deactivated": user?.status == .suspended
                    default: user == nil || user?.status == .deleted
                    }
                }
                let now = try await users.find(authorizerID: Self.userID)
                #expect(applied, "\(event): \(String(describing: now))")
                if event == "user.created" {
                    let user = try #require(try await users.find(authorizerID: Self.userID))
                    #expect(user.email == "jane.doe@example.com")
                    #expect(user.firstName == "Jane" && user.lastName == "Doe & <Co>")
                }
            }
        }
    }
}
