import AuthorizerClient
import Foundation
import Gateway
import PlatformDB
import Testing

/// The seed's three flows, end to end over real HTTP, in every guard mode.
@Suite struct AuthFlowTests {
    @Test(arguments: GuardMode.allCases)
    func signupLoginMeLogout(_ mode: GuardMode) async throws {
        try await GatewayHarness.with(mode: mode) { h in
            let signup = try await h.signup("ada@example.com", clientName: "Acme Corp")
            #expect(signup.status == .created, "\(signup.text)")
            #expect(signup.json["user"]["role"].string == "ADMIN")
            #expect(signup.json["user"]["status"].string == "ACTIVE")
            #expect(signup.json["user"]["clientId"].string != nil)
            #expect(signup.json["expiresIn"].int == 1800)
            // Exactly one platform row already, before any webhook.
            let row = try await UserStore(h.database).find(
                authorizerID: signup.json["user"]["authorizerId"].string ?? "")
            #expect(row?.email == "ada@example.com")

            let token = try await h.login("ada@example.com")
            #expect(try await UserStore(h.database).find(authorizerID: row?.authorizerID ?? "")?.lastLoginAt != nil)
            let me = try await h.request(.get, "/auth/me", bearer: token)
            #expect(me.status == .ok)
            #expect(me.json["email"].string == "ada@example.com")
            #expect(me.json["password"].isNull && me.json["passwordHash"].isNull)

            let lowercase = try await h.request(.get, "/auth/me", authorization: ["bearer \(token)"])
            #expect(lowercase.status == .ok, "the scheme is case-insensitive (RFC 6750)")

            let logout = try await h.request(.post, "/auth/logout", bearer: token)
            #expect(logout.status == .noContent)
            let after = try await h.request(.get, "/auth/me", bearer: token)
            #expect(after.status == .unauthorized)
            #expect(after.headers[.wwwAuthenticate] == #"Bearer error="invalid_token""#)
            #expect(after.headers[.contentType] == "application/problem+json")
        }
    }

    @Test func hybridHonoursALogoutDoneDirectlyAtAuthorizerWithinTheInterval() async throws {
        try await GatewayHarness.with(mode: .hybrid, sessionCheckInterval: .seconds(1)) { h in
            try await h.signup("h@example.com")
            let token = try await h.login("h@example.com")
            #expect(try await h.request(.get, "/auth/me", bearer: token).status == .ok)
            try await h.authorizerClient.logout(accessToken: token)
            try await Task.sleep(for: .milliseconds(1100))
            #expect(try await h.request(.get, "/auth/me", bearer: token).status == .unauthorized)
        }
    }

    @Test(arguments: [GuardMode.remote, .hybrid])
    func revokingAccessAtAuthorizerIsHonouredWithinTheBound(_ mode: GuardMode) async throws {
        try await GatewayHarness.with(mode: mode, sessionCheckInterval: .seconds(1)) { h in
            let signup = try await h.signup("rv@example.com")
            let id = try #require(signup.json["user"]["authorizerId"].string)
            let token = try await h.login("rv@example.com")
            #expect(try await h.request(.get, "/auth/me", bearer: token).status == .ok)
            try await h.authorizerAdmin(
                "mutation ($p: UpdateAccessRequest!) { _revoke_access(param: $p) { message } }",
                variables: ["p": ["user_id": id]])
            if mode == .hybrid { try await Task.sleep(for: .milliseconds(1100)) }
            let status = try await h.request(.get, "/auth/me", bearer: token).status
            #expect(status == .unauthorized || status == .forbidden)
        }
    }

    @Test(arguments: GuardMode.allCases)
    func aDeletedPlatformRowIsProvisionedAgainOnTheNextRequest(_ mode: GuardMode) async throws {
        try await GatewayHarness.with(mode: mode) { h in
            let signup = try await h.signup("jit@example.com")
            let id = try #require(signup.json["user"]["authorizerId"].string)
            let token = try await h.login("jit@example.com")
            try await UserStore(h.database).delete(authorizerID: id)
            let me = try await h.request(.get, "/auth/me", bearer: token)
            #expect(me.status == .ok, "\(me.text)")
            #expect(me.json["authorizerId"].string == id)
            #expect(try await UserStore(h.database).find(authorizerID: id)?.email == "jit@example.com")
        }
    }

    @Test func fiftyConcurrentFirstRequestsMakeOneRow() async throws {
        try await GatewayHarness.with(mode: .local) { h in
            // Signed up at Authorizer directly: the platform has never seen this user.
            let answer = try await h.authorizerClient.signup(
                email: "many@example.com", password: GatewayHarness.password, confirmPassword: GatewayHarness.password,
                givenName: nil, familyName: nil)
            let token = try #require(answer.accessToken)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<50 { group.addTask { try await h.request(.get, "/auth/me", bearer: token).status.code } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses)")
            let count = try await h.database.withConnection { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM users WHERE email = 'many@example.com'").first()?
                    .decode(column: "n", as: Int.self)
            }
            #expect(count == 1)
        }
    }

    @Test func verifyReportsValidityForOtherServices() async throws {
        try await GatewayHarness.with(mode: .local) { h in
            try await h.signup("svc@example.com")
            let token = try await h.login("svc@example.com")
            let good = try await h.request(.post, "/auth/verify", json: ["token": token])
            #expect(good.json["valid"].bool == true)
            #expect(good.json["user"]["email"].string == "svc@example.com")
            let bad = try await h.request(.post, "/auth/verify", json: ["token": "nope"])
            #expect(bad.json["valid"].bool == false)
            #expect(bad.json["reason"].string == "malformed")
        }
    }

    @Test func authorizerRefusalsBecomeProblems() async throws {
        try await GatewayHarness.with(mode: .local) { h in
            try await h.signup("dup@example.com")
            let duplicate = try await h.signup("dup@example.com")
            #expect(duplicate.status == .badRequest)
            #expect(duplicate.json["type"].string?.hasSuffix("/authorizer-refused") == true)
            let wrong = try await h.request(
                .post, "/auth/login", json: ["email": "dup@example.com", "password": "Wr0ng!pass"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.json["type"].string?.hasSuffix("/invalid-credentials") == true)
            let weak = try await h.request(
                .post, "/auth/signup",
                json: ["email": "weak@example.com", "password": "weak", "confirmPassword": "weak"])
            #expect(weak.status == .badRequest)
            #expect(weak.json["detail"].string?.contains("password") == true)
        }
    }

    @Test func profileNamesChangeAtAuthorizerAndInThePlatform() async throws {
        try await GatewayHarness.with(mode: .hybrid) { h in
            try await h.signup("names@example.com")
            let token = try await h.login("names@example.com")
            let patch = try await h.request(
                .patch, "/auth/me", json: ["firstName": "Grace", "lastName": "Hopper"], bearer: token)
            #expect(patch.status == .ok, "\(patch.text)")
            #expect(patch.json["firstName"].string == "Grace")
            #expect(try await h.authorizerClient.profile(accessToken: token).familyName == "Hopper")
        }
    }
}
