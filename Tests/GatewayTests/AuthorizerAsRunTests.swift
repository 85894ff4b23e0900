import AsyncHTTPClient
import AuthorizerClient
import Crypto
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LocalAuthorizer
import NIOHTTP1
import PlatformDB
import Synchronization
import Testing
import _CryptoExtras

/// The gateway against Authorizer 2.4 as people run it (issue 19): each test shows the twin's
/// answer, reproduced from Authorizer's source, and the gateway's, over real HTTP.
@Suite struct AuthorizerAsRunTests {
    /// Behaviour 1 (`service/signup.go`): with email verification on, signup answers a message
    /// only, also for a taken address. The gateway answers 202; with the admin secret the user is
    /// read with `_user` and placed in its company at once, a taken address writes nothing.
    @Test func signupWithVerificationIsAcceptedAndKeepsTheCompany() async throws {
        try await GatewayHarness.with(mode: .hybrid, emailVerification: true) { h in
            let signup = try await h.signup("founder@example.com", clientName: "Acme")
            #expect(signup.status == .accepted, "\(signup.text)")
            #expect(signup.headers[.contentType]?.hasPrefix("application/json") == true)
            let user = try #require(try await UserStore(h.database).find(email: "founder@example.com"))
            #expect(user.status == .pendingVerification)
            #expect(user.tenantID != nil, "the company asked for is kept")

            let taken = try await h.signup("founder@example.com", clientName: "Other")
            #expect(taken.status == .accepted, "a taken address is answered alike: \(taken.text)")
            let again = try #require(try await UserStore(h.database).find(email: "founder@example.com"))
            #expect(again.tenantID == user.tenantID)

            let token = try #require(try await h.mailedToken(kind: "verify_email"))
            let verified = try await h.request(.post, "/auth/verify-email", json: ["token": token])
            #expect(verified.status == .ok, "\(verified.text)")
            #expect(verified.json["user"]["status"].string == "ACTIVE")
            #expect(verified.json["user"]["role"].string == "ADMIN", "the owner of Acme")
        }
    }

    /// Behaviour 1 with an invitation: the invitee's signup is answered 202 like any other, and the
    /// invitation is not lost: once the address is verified, the user is in the inviting tenant
    /// with the invited role.
    @Test func anInvitationWaitsThroughVerification() async throws {
        try await GatewayHarness.with(mode: .hybrid, emailVerification: true) { h in
            try #require(try await h.signup("queen@example.com", clientName: "Hive").status == .accepted)
            let queenLink = try #require(try await h.mailedToken(kind: "verify_email"))
            let queen = try await h.request(.post, "/auth/verify-email", json: ["token": queenLink])
            let boss = try #require(queen.json["accessToken"].string, "\(queen.text)")
            let invite = try await h.request(
                .post, "/invitations", json: ["email": "worker@example.com", "role": "USER"], bearer: boss)
            let token = try #require(invite.json["token"].string, "\(invite.text)")
            let signup = try await h.request(
                .post, "/auth/signup",
                json: [
                    "email": "worker@example.com", "password": GatewayHarness.password,
                    "confirmPassword": GatewayHarness.password, "invitationToken": token,
                ])
            #expect(signup.status == .accepted, "\(signup.text)")
            let link = try #require(try await h.mailedToken(kind: "verify_email"))
            let verified = try await h.request(.post, "/auth/verify-email", json: ["token": link])
            #expect(verified.status == .ok, "\(verified.text)")
            #expect(verified.json["user"]["role"].string == "USER", "\(verified.text)")
            #expect(verified.json["user"]["clientId"].string == queen.json["user"]["clientId"].string)
        }
    }

    /// Behaviour 1 without the admin secret: the company waits as a signup intent and the user's
    /// first sign-in (here the verification link) places them in it.
    @Test func withoutTheAdminSecretTheCompanyWaitsForTheFirstSignIn() async throws {
        try await GatewayHarness.with(
            mode: .hybrid, emailVerification: true, configure: { $0.authorizer?.adminSecret = nil }
        ) { h in
            let signup = try await h.signup("late@example.com", clientName: "Beta")
            #expect(signup.status == .accepted, "\(signup.text)")
            let token = try #require(try await h.mailedToken(kind: "verify_email"))
            let verified = try await h.request(.post, "/auth/verify-email", json: ["token": token])
            #expect(verified.status == .ok, "\(verified.text)")
            #expect(verified.json["user"]["role"].string == "ADMIN", "\(verified.text)")
            let access = try #require(verified.json["accessToken"].string)
            let tenant = try await h.request(.get, "/clients/current", bearer: access)
            #expect(tenant.json["name"].string == "Beta", "\(tenant.text)")
        }
    }

    /// Behaviour 2 (`service/login.go`): an unverified address is answered before the password
    /// is checked, with a mailed code and "Please check email inbox for the OTP", no token, no
    /// user, and `user.login` fired, and an MFA session cookie. The gateway answers 202 with the
    /// next step (`email-code`) and a handle, and the mailed code signs in and proves the address.
    /// Before issue 21 it answered 403 with nowhere to go.
    @Test func anUnverifiedLoginIsA202NamingTheNextStep() async throws {
        try await GatewayHarness.with(mode: .hybrid) { h in
            try #require(try await h.signup("unverified@example.com").status == .created)
            let id = try #require(try await UserStore(h.database).find(email: "unverified@example.com")?.authorizerID)
            try await h.authorizerAdmin(
                "mutation ($p: UpdateUserRequest!) { _update_user(params: $p) { id } }",
                variables: ["p": ["id": id, "email_verified": false]])
            let login = try await h.request(
                .post, "/auth/login", json: ["email": "unverified@example.com", "password": "Wr0ng!pass"])
            #expect(login.status == .accepted, "\(login.text)")
            #expect(login.json["next"]["step"].string == "email-code", "\(login.text)")
            #expect(login.json["next"]["methods"].array.map(\.string) == ["email"])
            let handle = try #require(login.json["next"]["handle"].string)
            let code = try #require(try await h.mailedCode(), "the code went to the outbox")
            let wrong = try await h.request(
                .post, "/auth/mfa/email-code", json: ["handle": handle, "code": code == "AAAAAA" ? "BBBBBB" : "AAAAAA"])
            #expect(wrong.status == .unauthorized && wrong.json["type"].string?.hasSuffix("invalid-code") == true)
            let signedIn = try await h.request(.post, "/auth/mfa/email-code", json: ["handle": handle, "code": code])
            #expect(signedIn.status == .ok, "\(signedIn.text)")
            #expect(signedIn.json["user"]["status"].string == "ACTIVE", "\(signedIn.text)")
        }
    }

    /// Behaviour 3 (`http_handlers/rate_limit.go`): beyond its limit Authorizer answers 429 with
    /// `Retry-After: 1`. No mode signs a user out for it: remote answers 429 or 503 (never 401),
    /// hybrid keeps the session on the local check, and a limited login is a 429 with Retry-After.
    @Test(arguments: [GuardMode.remote, .hybrid])
    func aRateLimitedAuthorizerSignsNobodyOut(_ mode: GuardMode) async throws {
        try await GatewayHarness.with(
            mode: mode, sessionCheckInterval: .milliseconds(1),
            authorizerConfigure: {
                $0.rateLimitRPS = 2
                $0.rateLimitBurst = 4
            },
            // The gateway's own per-email and per-address limits off: the 429 seen is Authorizer's.
            configure: { $0.authRateLimits = AuthRateLimits(perIP: 0, perEmail: 0, failedLoginsPerAddress: 0) }
        ) { h in
            try await Task.sleep(for: .seconds(2))  // the bucket refills after the harness's own calls
            try #require(try await h.signup("busy@example.com").status == .created)
            let token = try await h.login("busy@example.com")
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<12 { statuses.append(try await h.request(.get, "/auth/me", bearer: token).status) }
            // Remote mode's calls are idempotent and wait out Retry-After (at most 3 attempts);
            // what still fails is a 429 or 503. Hybrid stays on the local check.
            #expect(!statuses.contains(.unauthorized), "\(mode): \(statuses.map(\.code))")
            let allowed: Set<Int> = mode == .remote ? [200, 429, 503] : [200]
            #expect(statuses.allSatisfy { allowed.contains($0.code) }, "\(statuses.map(\.code))")
            var limited: GatewayHarness.Reply?
            for _ in 0..<20 {
                let reply = try await h.request(
                    .post, "/auth/login", json: ["email": "busy@example.com", "password": GatewayHarness.password])
                if reply.status == .tooManyRequests { limited = reply; break }
            }
            let refused = try #require(limited, "the twin's limit reached a login")
            #expect(refused.headers[.retryAfter] == "1", "\(refused.headers)")
            try await Task.sleep(for: .seconds(3))
            #expect(try await h.request(.get, "/auth/me", bearer: token).status == .ok, "still signed in")
        }
    }

    /// Behaviour 5: a token a few seconds past `exp`, inside the gateway's leeway, is refused by
    /// Authorizer, which has none (golang-jwt v4). That must not end its session: in hybrid mode
    /// the local check accepts it, in remote mode Authorizer's refusal is the answer (401), and in
    /// both the session's fresh token keeps working.
    @Test(arguments: [GuardMode.hybrid, .remote])
    func anExpiredTokenInsideTheLeewayEndsNoSession(_ mode: GuardMode) async throws {
        try await GatewayHarness.with(mode: mode, sessionCheckInterval: .milliseconds(1)) { h in
            try #require(try await h.signup("leeway@example.com").status == .created)
            let token = try await h.login("leeway@example.com")
            let claims = try #require(
                try JSONSerialization.jsonObject(with: BadInputTests.unb64(String(token.split(separator: ".")[1])))
                    as? [String: Any])
            let now = Int(Date().timeIntervalSince1970)
            let late = try await Self.forge(h, claims: claims, changes: ["exp": now - 5, "iat": now - 1805])
            let lateStatus = try await h.request(.get, "/auth/me", bearer: late).status
            #expect(lateStatus == (mode == .remote ? .unauthorized : .ok), "inside the leeway")
            try await Task.sleep(for: .milliseconds(20))
            #expect(try await h.request(.get, "/auth/me", bearer: token).status == .ok, "the session was not ended")
        }
    }

    /// Entries for ended sessions expire with their tokens.
    @Test func endedSessionEntriesExpire() {
        let list = RevocationList()
        list.revoke(session: "s1", until: Date().addingTimeInterval(-1))
        list.revoke(session: "s2", until: Date().addingTimeInterval(60))
        #expect(!list.isRevoked(session: "s1"))
        #expect(list.isRevoked(session: "s2"))
    }

    /// Behaviour 11 (`http_handlers/token.go`): refresh mints a new session and removes the old
    /// one, so the old access token stops validating at Authorizer; the new one works.
    @Test(arguments: [GuardMode.remote, .hybrid])
    func refreshEndsTheOldSession(_ mode: GuardMode) async throws {
        try await GatewayHarness.with(mode: mode, sessionCheckInterval: .milliseconds(1)) { h in
            try #require(try await h.signup("rotate@example.com").status == .created)
            let login = try await h.request(
                .post, "/auth/login",
                json: ["email": "rotate@example.com", "password": GatewayHarness.password, "offlineAccess": true])
            let old = try #require(login.json["accessToken"].string)
            let refreshToken = try #require(login.json["refreshToken"].string)
            let refreshed = try await h.request(.post, "/auth/refresh", json: ["refreshToken": refreshToken])
            let new = try #require(refreshed.json["accessToken"].string, "\(refreshed.text)")
            #expect(try await h.request(.get, "/auth/me", bearer: new).status == .ok)
            try await Task.sleep(for: .milliseconds(20))
            #expect(try await h.request(.get, "/auth/me", bearer: old).status == .unauthorized)
        }
    }

    /// Behaviour 11: `update_profile` with no field is INVALID_ARGUMENT
    /// (`service/update_profile.go`); the gateway makes no call when nothing changes.
    @Test func aProfileUpdateThatChangesNothingMakesNoCall() async throws {
        try await GatewayHarness.with(mode: .local) { h in
            try #require(try await h.signup("plain@example.com").status == .created)
            let token = try await h.login("plain@example.com")
            let unchanged = try await h.request(.patch, "/auth/me", json: [:], bearer: token)
            #expect(unchanged.status == .ok, "\(unchanged.text)")
            let named = try await h.request(.patch, "/auth/me", json: ["firstName": "Ada"], bearer: token)
            #expect(named.json["firstName"].string == "Ada")
        }
    }

    /// Behaviour 11: "signup is disabled for this instance" is FAILED_PRECONDITION: a 4xx
    /// problem, not a 502.
    @Test func disabledSignupIsAProblemNotABadGateway() async throws {
        try await GatewayHarness.with(mode: .local, authorizerConfigure: { $0.enableSignup = false }) { h in
            let signup = try await h.signup("nobody@example.com")
            #expect(signup.status == .badRequest, "\(signup.text)")
            #expect(signup.json["detail"].string == "signup is disabled for this instance")
        }
    }

    /// Behaviour 11, the issuer (`internal/parsers/url.go`): Authorizer started with a `--url`
    /// that has a path signs `iss` as its scheme and host alone, and says so in its discovery
    /// document. A gateway given no issuer reads it there and accepts the tokens.
    @Test func theIssuerOfAURLWithAPathIsReadFromDiscovery() async throws {
        try await GatewayHarness.with(
            mode: .local, authorizerConfigure: { $0.url = "https://Auth.example.test/tenant/authorizer/" },
            configure: { $0.authorizer?.issuer = nil }
        ) { h in
            try #require(try await h.signup("issuer@example.com").status == .created)
            let token = try await h.login("issuer@example.com")
            let claims = try #require(
                try JSONSerialization.jsonObject(with: BadInputTests.unb64(String(token.split(separator: ".")[1])))
                    as? [String: Any])
            #expect(claims["iss"] as? String == "https://Auth.example.test")
            #expect(try await h.request(.get, "/auth/me", bearer: token).status == .ok)
        }
    }

    /// Behaviour 12: every algorithm Authorizer signs with is accepted, HMAC with a secret of any
    /// length (a warning under 32 bytes), keys from the JWKS for RS and ES.
    @Test(arguments: AuthorizerConfiguration.JWTType.allCases)
    func everyAuthorizerAlgorithmIsAccepted(_ type: AuthorizerConfiguration.JWTType) async throws {
        let secret = type.family == .hmac ? "short-\(type.rawValue)" : nil
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)").path
        try await GatewayHarness.with(
            mode: .local,
            authorizerConfigure: {
                $0.jwtType = type
                $0.jwtSecret = secret
                if type != .rs256 { $0.jwtPrivateKey = nil }
                $0.dataFolder = folder
            },
            configure: { $0.authorizer?.jwtSecret = secret }
        ) { h in
            try #require(try await h.signup("\(type.rawValue.lowercased())@example.com").status == .created)
            let token = try await h.login("\(type.rawValue.lowercased())@example.com")
            let header = String(decoding: BadInputTests.unb64(String(token.split(separator: ".")[0])), as: UTF8.self)
            #expect(header.contains(type.rawValue))
            #expect(try await h.request(.get, "/auth/me", bearer: token).status == .ok, "\(type)")
            guard type.family == .hmac else { return }
            // Keyed with a secret, the gateway takes no other algorithm: the same claims signed
            // with an RSA key, or unsigned (`none`), are refused.
            let payload = String(token.split(separator: ".")[1])
            let claims = try #require(
                try JSONSerialization.jsonObject(with: BadInputTests.unb64(payload)) as? [String: Any])
            let rsa = try await Self.forge(h, claims: claims, changes: [:])
            let none = BadInputTests.b64(Data(#"{"alg":"none","typ":"JWT"}"#.utf8)) + "." + payload + "."
            for forged in [rsa, none] {
                #expect(try await h.request(.get, "/auth/me", bearer: forged).status == .unauthorized, "\(type)")
            }
        }
    }

    /// A token like `claims` with `changes`, signed with the twin's RS256 key.
    static func forge(_ h: GatewayHarness, claims: [String: Any], changes: [String: Any]) async throws -> String {
        var values = claims
        for (key, value) in changes { values[key] = value }
        let header = BadInputTests.b64(Data(#"{"alg":"RS256","typ":"JWT"}"#.utf8))
        let payload = BadInputTests.b64(try JSONSerialization.data(withJSONObject: values))
        let input = header + "." + payload
        let key = try _RSA.Signing.PrivateKey(pemRepresentation: h.signingKeyPEM)
        let signature = try key.signature(for: SHA256.hash(data: Data(input.utf8)), padding: .insecurePKCS1v1_5)
        return input + "." + BadInputTests.b64(signature.rawRepresentation)
    }
}

/// Behaviour 10 (`internal/events/events.go`): Authorizer's deliveries carry no id and no
/// timestamp, so real events repeat byte for byte. Each is applied; only a repeat of a user's
/// newest delivery within seconds is taken as the same delivery twice.
@Suite struct IdlessDeliveryTests {
    /// Revoke, enable and revoke again within one second, through the twin: the last revoke's
    /// body is the first one's, and the user ends SUSPENDED, their token refused in local mode.
    @Test func revokeEnableRevokeWithinASecondEndsSuspended() async throws {
        try await GatewayHarness.with(mode: .local) { h in
            try #require(try await h.signup("flip@example.com").status == .created)
            let token = try await h.login("flip@example.com")
            let id = try #require(try await UserStore(h.database).find(email: "flip@example.com")?.authorizerID)
            for mutation in ["_revoke_access", "_enable_access", "_revoke_access"] {
                try await h.authorizerAdmin(
                    "mutation ($p: UpdateAccessRequest!) { \(mutation)(param: $p) { message } }",
                    variables: ["p": ["user_id": id]])
            }
            // All three deliveries applied (the third is the first's bytes), in order.
            let suspended = try await h.eventually(.seconds(10)) {
                let applied = try await WebhookInbox(h.database).events(status: "APPLIED", limit: 100)
                    .filter { $0.authorizerID == id && $0.eventName.hasPrefix("user.access_") }
                let status = try await UserStore(h.database).find(email: "flip@example.com")?.status
                return applied.count == 3 && status == .suspended
            }
            #expect(suspended)
            #expect(try await h.request(.get, "/auth/me", bearer: token).status != .ok)
        }
    }

    @Test(arguments: GatewayHarness.Backend.available)
    func onlyARepeatOfTheNewestDeliveryIsADuplicate(_ backend: GatewayHarness.Backend) async throws {
        try await PoisonEventTests.withReceiver(backend) { client, database in
            let login =
                #"{"auth_recipe":"basic_auth","event_description":"user login","event_name":"user.login","user":{"email":"r@example.com","email_verified":true,"id":"repeat-1","roles":["user"],"signup_methods":"basic_auth"},"webhook_id":"w"}"#
            let revoked =
                #"{"event_description":"user access_revoked","event_name":"user.access_revoked","user":{"email":"r@example.com","email_verified":true,"id":"repeat-1","revoked_timestamp":1755600200,"roles":["user"],"signup_methods":"basic_auth"},"webhook_id":"w"}"#
            #expect(try await PoisonEventTests.deliver(client, login).0 == .accepted)
            #expect(try await PoisonEventTests.deliver(client, login).0 == .ok, "a repeat of the newest, at once")
            #expect(try await PoisonEventTests.deliver(client, revoked).0 == .accepted)
            #expect(
                try await PoisonEventTests.deliver(client, login).0 == .accepted, "the same bytes after another event")
            // Not forever: an identical delivery long after the newest is a new event.
            let inbox = WebhookInbox(database)
            let hash = SHA256.hash(data: Data(revoked.utf8)).map { String(format: "%02x", $0) }.joined()
            _ = try await inbox.accept(
                eventName: "user.access_revoked", authorizerID: "repeat-2", bodyHash: hash,
                dedupeKey: "sha256:\(hash):old",
                body: revoked.replacingOccurrences(of: "repeat-1", with: "repeat-2"),
                now: Date().addingTimeInterval(-60))
            let later = revoked.replacingOccurrences(of: "repeat-1", with: "repeat-2")
            #expect(try await PoisonEventTests.deliver(client, later).0 == .accepted)
        }
    }
}

/// Behaviour 7 (`storage/db/sql/user.go`): `_users` is ordered by `created_at DESC` alone, so
/// users of one second can move between pages. Reconcile deletes only users Authorizer says are
/// gone (`_user`: NOT_FOUND), and applies the rest.
@Suite struct ShiftingPagesTests {
    /// A user deleted at Authorizer while reconcile lists shifts the later pages up by one: the
    /// first user of page 2 moves to page 1, already read, and is never seen, while the total
    /// also drops by one, so the listing looks complete. Here a stand-in in front of the twin
    /// deletes a page-1 user just before page 2 is served. The unseen user is asked for by id and
    /// kept (before, it was marked deleted).
    @Test func reconcileDeletesNoUserItFailedToSee() async throws {
        try await GatewayHarness.with(mode: .local, webhooksDelivered: false) { h in
            for index in 0..<10 { try #require(try await h.signup("same\(index)@example.com").status == .created) }
            let users = UserStore(h.database)
            let twin = AuthorizerClient(
                configuration: .init(
                    url: h.authorizerURL, clientID: h.authorizer.clientID, adminSecret: h.authorizer.adminSecret),
                version: .v2)
            // Other drift, planted behind the gateway's back: a name changed at Authorizer.
            let renamed = try #require(try await users.find(email: "same3@example.com")?.authorizerID)
            try await h.authorizerAdmin(
                "mutation ($p: UpdateUserRequest!) { _update_user(params: $p) { id } }",
                variables: ["p": ["id": renamed, "given_name": "Three"]])
            let firstPage = try await twin.users(page: 1, limit: 5).users
            let victim = try #require(firstPage.first?.id)
            let pages = Mutex(0)
            let router = Router()
            router.post("/graphql") { request, _ -> Response in
                let body = try await request.body.collect(upTo: 1 << 20)
                if String(buffer: body).contains("_users"),
                    pages.withLock({
                        $0 += 1; return $0
                    }) == 2
                {
                    try await h.authorizerAdmin(
                        "mutation ($p: DeleteUserRequest!) { _delete_user(params: $p) { message } }",
                        variables: ["p": ["id": victim]])
                }
                var forward = HTTPClientRequest(url: h.authorizerURL + "/graphql")
                forward.method = .POST
                forward.headers = HTTPHeaders(request.headers.map { ($0.name.rawName, $0.value) })
                forward.headers.replaceOrAdd(name: "Origin", value: h.authorizerURL)
                forward.body = .bytes(body)
                let answer = try await HTTPClient.shared.execute(forward, timeout: .seconds(5))
                return Response(
                    status: .init(code: Int(answer.status.code)), headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: try await answer.body.collect(upTo: 1 << 20)))
            }
            let stand = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await stand.test(.ahc(.http)) { proxy in
                let url = "http://127.0.0.1:\(proxy.port ?? 0)"
                let client = AuthorizerClient(
                    configuration: .init(
                        url: url, clientID: h.authorizer.clientID, adminSecret: h.authorizer.adminSecret), version: .v2)
                let report = try await Reconciler(
                    client: client, database: h.database, pageSize: 5, logger: GatewayHarness.logger
                )
                .run(dryRun: false)
                // The victim was read on page 1 before it went; the next run marks it.
                #expect(report.deleted == 0, "\(report)")
            }
            // The rest of the drift is applied.
            #expect(try await users.find(authorizerID: renamed)?.firstName == "Three")
            for index in 0..<10 {
                let user = try #require(try await users.find(email: "same\(index)@example.com"))
                if user.authorizerID != victim {
                    #expect(user.status == .active, "same\(index) was deleted though it exists")
                }
            }
        }
    }
}

/// Signup intents (behaviour 1 without the admin secret) are bound to the signup that made them:
/// Authorizer answers a signup for a taken address like any other, so anyone can post one.
@Suite struct SignupIntentTests {
    static let noAdminSecret: @Sendable (inout GatewayConfiguration) -> Void = { $0.authorizer?.adminSecret = nil }

    /// An intent made long after the user was created (someone posting a signup for another's
    /// address) places no one, and the first intent for an address is not replaced.
    @Test func anIntentForSomeoneElsesAddressPlacesNoOne() async throws {
        try await GatewayHarness.with(mode: .hybrid, emailVerification: true, configure: Self.noAdminSecret) { h in
            try #require(try await h.signup("victim@example.com").status == .accepted)
            let token = try #require(try await h.mailedToken(kind: "verify_email"))
            try #require(try await h.request(.post, "/auth/verify-email", json: ["token": token]).status == .ok)
            // Later, someone posts a signup with the victim's address and a company.
            try await h.database.transaction { sql in
                try await SignupIntentStore(h.database).record(
                    .createTenant(name: "Evil"), email: "victim@example.com", now: Date().addingTimeInterval(120),
                    on: sql)
            }
            let login = try await h.request(
                .post, "/auth/login", json: ["email": "victim@example.com", "password": GatewayHarness.password])
            #expect(login.status == .ok, "\(login.text)")
            #expect(login.json["user"]["clientId"].isNull, "placed in a company someone else named: \(login.text)")

            // The first intent for an address wins: a second signup cannot replace it.
            try #require(try await h.signup("first@example.com", clientName: "First").status == .accepted)
            #expect(try await h.signup("first@example.com", clientName: "Second").status == .accepted)
            let link = try #require(try await h.mailedToken(kind: "verify_email"))
            let verified = try await h.request(.post, "/auth/verify-email", json: ["token": link])
            let access = try #require(verified.json["accessToken"].string, "\(verified.text)")
            #expect(try await h.request(.get, "/clients/current", bearer: access).json["name"].string == "First")
        }
    }

    /// An invitation revoked while the address waited for verification: the user signs in,
    /// without a tenant, instead of being refused at every sign-in.
    @Test func aRevokedInvitationDoesNotLockTheUserOut() async throws {
        try await GatewayHarness.with(mode: .hybrid, configure: Self.noAdminSecret) { h in
            try #require(try await h.signup("boss@example.com", clientName: "Hive").status == .created)
            let boss = try await h.login("boss@example.com")
            let invite = try await h.request(
                .post, "/invitations", json: ["email": "bee@example.com", "role": "USER"], bearer: boss)
            let inviteToken = try #require(invite.json["token"].string, "\(invite.text)")
            let inviteID = try #require(invite.json["id"].string)
            // The invitee's signup waits (here: recorded as 2.4 with verification or MFA would).
            try await h.database.transaction { sql in
                try await SignupIntentStore(h.database).record(
                    .acceptInvitation(tokenHash: SignupIntentStore.invitationHash(inviteToken)),
                    email: "bee@example.com", now: Date(),
                    on: sql)
            }
            try #require(try await h.signup("bee@example.com").status == .created)
            #expect(try await h.request(.delete, "/invitations/\(inviteID)", bearer: boss).status == .noContent)
            let login = try await h.request(
                .post, "/auth/login", json: ["email": "bee@example.com", "password": GatewayHarness.password])
            #expect(login.status == .ok, "\(login.text)")
            #expect(login.json["user"]["clientId"].isNull)
        }
    }
}

/// Behaviour 6 (`service/admin_webhooks.go`, `validators/endpoint.go`): 2.4 refuses a webhook to
/// the gateway's loopback address unless started with `--env=e2e`. The gateway then learns of
/// users made at Authorizer only by reconciling (README, "Authorizer versions").
@Suite struct PrivateWebhookTests {
    @Test func withoutWebhooksReconcileStillBringsTheUsers() async throws {
        try await GatewayHarness.with(mode: .local, authorizerConfigure: { $0.env = "" }) { h in
            var request = HTTPClientRequest(url: h.authorizerURL + "/graphql")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "Origin", value: h.authorizerURL)
            request.headers.add(name: "x-authorizer-admin-secret", value: h.authorizer.adminSecret)
            let add =
                #"{"query":"mutation { _add_webhook(params: {event_name: \"user.signup\", endpoint: \"http://127.0.0.1:9/webhooks/authorizer\", enabled: true}) { message } }"}"#
            request.body = .bytes(ByteBuffer(string: add))
            let answer = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
            let text = String(buffer: try await answer.body.collect(upTo: 1 << 16))
            #expect(text.contains("invalid endpoint: requests to private/internal networks are not allowed"), "\(text)")

            // A user made at Authorizer directly: no webhook tells the gateway.
            let twin = AuthorizerClient(
                configuration: .init(
                    url: h.authorizerURL, clientID: h.authorizer.clientID, adminSecret: h.authorizer.adminSecret),
                version: .v2)
            _ = try await twin.signup(
                email: "direct@example.com", password: GatewayHarness.password,
                confirmPassword: GatewayHarness.password,
                givenName: nil, familyName: nil)
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await UserStore(h.database).find(email: "direct@example.com") == nil)
            let report = try await Reconciler(client: twin, database: h.database, logger: GatewayHarness.logger).run(
                dryRun: false)
            #expect(report.created == 1, "\(report)")
            #expect(try await UserStore(h.database).find(email: "direct@example.com")?.status == .active)
        }
    }
}

/// Behaviour 8: a server whose `meta.version` says nothing of its version (`latest`,
/// `0.1.0-local`, `0.0.1` are what builds report) is read from its schema by introspection.
@Suite struct VersionDetectionTests {
    @Test(arguments: ["latest", "0.1.0-local", "0.0.1"])
    func aBuildsVersionIsReadFromItsSchema(_ reported: String) async throws {
        try await GatewayHarness.with(mode: .local, authorizerConfigure: { $0.metaVersion = reported }) { h in
            let client = try await AuthorizerClient.connect(
                configuration: .init(
                    url: h.authorizerURL, clientID: h.authorizer.clientID, adminSecret: h.authorizer.adminSecret))
            #expect(client.version == .v2)
            #expect(try await client.users(page: 1, limit: 5).total >= 0)
        }
    }

    /// With introspection off (`--enable-graphql-introspection=false`) it cannot tell, and says so.
    @Test func withIntrospectionOffTheVersionMustBeGiven() async throws {
        try await GatewayHarness.with(
            mode: .local,
            authorizerConfigure: {
                $0.metaVersion = "latest"
                $0.enableGraphQLIntrospection = false
            }
        ) { h in
            await #expect(throws: AuthorizerClientError.self) {
                _ = try await AuthorizerClient.connect(
                    configuration: .init(url: h.authorizerURL, clientID: h.authorizer.clientID))
            }
        }
    }

    /// With `--web-app-url`, the reset link Authorizer mails is the web app's own route plus
    /// `?token=` (`utils.GetForgotPasswordURL`); Authorizer must allow that origin, and when it
    /// does not (`validators/url.go`) the gateway says which setting to change.
    @Test func theResetLinkLeadsToTheWebApp() async throws {
        try await GatewayHarness.with(
            mode: .hybrid,
            authorizerConfigure: { $0.allowedOrigins = ["http://localhost", "http://webapp.example:8080"] },
            configure: { $0.authorizer?.webAppURL = "http://webapp.example:8080" }
        ) { h in
            try #require(try await h.signup("reset@example.com").status == .created)
            let asked = try await h.request(.post, "/auth/forgot-password", json: ["email": "reset@example.com"])
            #expect(asked.status == .accepted, "\(asked.text)")
            let link = try #require(try await h.mailedLink(kind: "forgot_password"))
            #expect(link.hasPrefix("http://webapp.example:8080/#/reset-password?token="), "\(link)")
            let token = String(link.dropFirst("http://webapp.example:8080/#/reset-password?token=".count))
            let reset = try await h.request(
                .post, "/auth/reset-password",
                json: ["token": token, "password": "N3w!password", "confirmPassword": "N3w!password"])
            #expect(reset.status == .ok, "\(reset.text)")
        }
        try await GatewayHarness.with(
            mode: .hybrid, configure: { $0.authorizer?.webAppURL = "http://webapp.example:8080" }
        ) { h in
            try #require(try await h.signup("reset2@example.com").status == .created)
            let refused = try await h.request(.post, "/auth/forgot-password", json: ["email": "reset2@example.com"])
            #expect(refused.status == .badGateway, "\(refused.text)")
            #expect(refused.json["detail"].string?.contains("--allowed-origins") == true)
        }
    }
}

/// Authorizer 2.4 keeps an address as signed up, case and all, and compares addresses exactly
/// (`service/signup.go` trims only; `service/login.go` and `forgot_password.go` look up what they
/// get; `storage/db/sql/user.go` GetUserByEmail). The twin did the same only since this test: it
/// lowercased, which hid that a user who signed up as `Grace@Example.com` could not sign in as
/// `grace@example.com`. The gateway signs up in lowercase and retries a refused login in
/// lowercase, so case never matters for accounts made here; one made elsewhere in capitals signs
/// in as it was made.
@Suite struct EmailCaseTests {
    @Test func caseDoesNotMatterForAccountsMadeHere() async throws {
        try await GatewayHarness.with(mode: .hybrid) { h in
            let signup = try await h.signup("Grace@Example.COM", clientName: "Hopper")
            #expect(signup.status == .created, "\(signup.text)")
            #expect(signup.json["user"]["email"].string == "grace@example.com")
            _ = try await h.login("GRACE@example.com")
            _ = try await h.login("grace@example.com")
            let reset = try await h.request(.post, "/auth/forgot-password", json: ["email": "Grace@Example.com"])
            #expect(reset.status == .accepted, "\(reset.text)")
            let mailed = try await h.outbox().filter { $0["kind"] as? String == "forgot_password" }
            #expect(mailed.map { $0["to"] as? String } == ["grace@example.com"])

            // Made at Authorizer in capitals, behind the gateway's back: as made, and only so.
            _ = try await h.authorizerClient.signup(
                email: "Legacy@Example.com", password: GatewayHarness.password,
                confirmPassword: GatewayHarness.password, givenName: nil, familyName: nil)
            _ = try await h.login("Legacy@Example.com")
            let other = try await h.request(
                .post, "/auth/login", json: ["email": "legacy@example.com", "password": GatewayHarness.password])
            #expect(other.status == .unauthorized, "\(other.text)")
        }
    }

    /// A second factor for an account made elsewhere in capitals: the steps name the account as
    /// Authorizer accepted it (2.4's `skip_mfa_setup` and `verify_otp` look it up exactly). The
    /// challenge used to keep the address lowercased, and skipping the setup then failed.
    @Test func aSecondFactorNamesTheAccountAsAuthorizerAcceptedIt() async throws {
        try await GatewayHarness.with(mode: .hybrid, authorizerConfigure: { $0.disableMFA = false }) { h in
            _ = try await h.authorizerClient.signup(
                email: "Mixed@Example.com", password: GatewayHarness.password,
                confirmPassword: GatewayHarness.password, givenName: nil, familyName: nil)
            for typed in ["Mixed@Example.com", "mixed@example.com"] {
                let login = try await h.request(
                    .post, "/auth/login", json: ["email": typed, "password": GatewayHarness.password])
                if typed == "mixed@example.com" {
                    #expect(login.status == .unauthorized, "another address at Authorizer: \(login.text)")
                    continue
                }
                #expect(login.status == .accepted, "\(login.text)")
                let handle = try #require(login.json["next"]["handle"].string)
                let skipped = try await h.request(.post, "/auth/mfa/skip", json: ["handle": handle])
                #expect(skipped.status == .ok, "\(skipped.text)")
                #expect(skipped.json["accessToken"].string != nil)
            }
        }
    }
}
