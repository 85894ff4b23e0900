import Foundation
import Testing

@testable import LocalAuthorizer

@Suite struct AuthFlowTests {
    @Test func signupLoginProfileValidateLogout() async throws {
        try await Harness.with { h in
            let signup = try await h.signup("ada@example.com", extra: ["given_name": "Ada"])
            #expect(signup["message"].string == "Signed up successfully.")
            #expect(signup["user"]["email"].string == "ada@example.com")
            #expect(signup["user"]["roles"].array.map(\.string) == ["user"])
            #expect(signup["expires_in"].int == 1800)

            let login = try await h.login("ada@example.com")
            #expect(login.status == .ok)
            #expect(login.json["data"]["login"]["message"].string == "Logged in successfully")
            let token = try #require(login.json["data"]["login"]["access_token"].string)

            let profile = try await h.graphql("{ profile { id email given_name email_verified } }", bearer: token)
            #expect(profile.json["data"]["profile"]["given_name"].string == "Ada")
            #expect(profile.json["data"]["profile"]["email_verified"].bool == true)

            let valid = try await h.validate(token)
            #expect(valid.json["data"]["validate_jwt_token"]["is_valid"].bool == true)
            let claims = valid.json["data"]["validate_jwt_token"]["claims"]
            #expect(claims["token_type"].string == "access_token")
            #expect(claims["aud"].string == "test-client")
            #expect(claims["iss"].string == h.configuration.issuer)
            #expect(claims["login_method"].string == "basic_auth")
            #expect(claims["roles"].array.map(\.string) == ["user"])
            #expect(!(claims["nonce"].string ?? "").isEmpty)

            let logout = try await h.graphql("mutation { logout { message } }", bearer: token)
            #expect(logout.json["data"]["logout"]["message"].string == "Logged out successfully")

            // The signature and exp are still good, but the session is gone.
            let after = try await h.validate(token)
            #expect(after.status == .ok)
            #expect(after.json["data"].isNull)
            #expect(after.json["errors"][0]["message"].string == "invalid token")
            #expect(after.json["errors"][0]["extensions"]["code"].string == "UNAUTHENTICATED")
            #expect(after.json["errors"][0]["path"][0].string == "validate_jwt_token")
            let profileAfter = try await h.graphql("{ profile { id } }", bearer: token)
            #expect(profileAfter.json["errors"][0]["message"].string == "unauthorized")
        }
    }

    /// 2.4 keeps an address as typed (trimmed only: `service/signup.go`) and looks it up exactly
    /// (`storage/db/sql/user.go` GetUserByEmail): login in another case is refused as bad
    /// credentials, and `resend_verify_email` and `magic_link_login`, which lowercase what they
    /// get, find no such user.
    @Test func anAddressIsKeptAsTypedAndLookedUpExactly() async throws {
        try await Harness.with { h in
            let signup = try await h.signup(" Ada@Example.com ")
            #expect(signup["user"]["email"].string == "Ada@Example.com")
            #expect(try await h.login("Ada@Example.com").json["data"]["login"]["access_token"].string != nil)
            let other = try await h.login("ada@example.com")
            #expect(other.json["data"].isNull)
            #expect(other.json["errors"][0]["message"].string == "invalid credentials")
            // Another case is another address: it signs up as a second user.
            #expect(try await h.signup("ada@example.com")["user"]["email"].string == "ada@example.com")
        }
    }

    /// Authorizer 2.4's leniency, reproduced: `validate_jwt_token` does not compare the token's
    /// `token_type` with the type asked for, so an id token validates as an access token while
    /// its session lives (`service/validate_jwt_token.go`). The gateway checks the type itself.
    @Test func idTokensValidateAsAccessTokensWhileTheirSessionLives() async throws {
        try await Harness.with { h in
            _ = try await h.signup("id@example.com")
            let login = try await h.graphql(
                "mutation ($p: LoginRequest!) { login(params: $p) { id_token } }",
                variables: ["p": ["email": "id@example.com", "password": Harness.strongPassword]])
            let idToken = try #require(login.json["data"]["login"]["id_token"].string)
            let asAccess = try await h.validate(idToken, type: "access_token")
            #expect(asAccess.json["data"]["validate_jwt_token"]["is_valid"].bool == true)
            let asID = try await h.validate(idToken, type: "id_token")
            #expect(asID.json["data"]["validate_jwt_token"]["claims"]["role"].array.map(\.string) == ["user"])
            #expect(asID.json["data"]["validate_jwt_token"]["claims"]["email"].string == "id@example.com")
            let profile = try await h.graphql("{ profile { id } }", bearer: idToken)
            #expect(profile.json["errors"][0]["message"].string == "unauthorized")
        }
    }

    @Test func passwordRulesAndCredentialErrorsUseAuthorizersWords() async throws {
        try await Harness.with { h in
            let short = try await h.signup("a@example.com", password: "Ab1!")
            #expect(short.isNull)
            let cases: [(String, String, String)] = [
                ("Ab1!", "Ab1!", "password must be of minimum 6 characters and maximum 36 characters"),
                (
                    "weakpassword", "weakpassword",
                    "password is not valid. It needs to be at least 6 characters long and contain at least one number, one uppercase letter, one lowercase letter and one special character"
                ),
                ("Str0ng!pass", "Str0ng!other", "password and confirm password does not match"),
            ]
            for (password, confirm, message) in cases {
                let reply = try await h.graphql(
                    "mutation ($p: SignUpRequest!) { signup(params: $p) { message } }",
                    variables: ["p": ["email": "a@example.com", "password": password, "confirm_password": confirm]])
                #expect(reply.json["errors"][0]["message"].string == message)
                #expect(reply.json["errors"][0]["extensions"]["code"].string == "INVALID_ARGUMENT")
            }
            try await h.signup("dup@example.com")
            let duplicate = try await h.graphql(
                "mutation ($p: SignUpRequest!) { signup(params: $p) { message } }",
                variables: [
                    "p": [
                        "email": "dup@example.com", "password": Harness.strongPassword,
                        "confirm_password": Harness.strongPassword,
                    ]
                ])
            #expect(
                duplicate.json["errors"][0]["message"].string
                    == "signup failed. please check your credentials or try a different method")

            let unknown = try await h.login("nobody@example.com")
            #expect(unknown.json["errors"][0]["message"].string == "invalid credentials")
            #expect(unknown.json["errors"][0]["extensions"]["code"].string == "UNAUTHENTICATED")
        }
    }

    @Test func fiveBadPasswordsLockTheAccount() async throws {
        try await Harness.with { h in
            try await h.signup("lock@example.com")
            for _ in 0..<5 {
                let bad = try await h.login("lock@example.com", password: "Wr0ng!pass")
                #expect(bad.json["errors"][0]["message"].string == "invalid credentials")
            }
            let locked = try await h.login("lock@example.com")
            #expect(locked.json["errors"][0]["message"].string == "too many failed attempts, please try again later")
            #expect(locked.json["errors"][0]["extensions"]["code"].string == "TOO_MANY_REQUESTS")
        }
    }

    @Test func concurrentSignupsWithOneEmailLetExactlyOneSucceed() async throws {
        try await Harness.with { h in
            let results = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await h.signup("race@example.com")["access_token"].string != nil }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results.filter { $0 }.count == 1)
            let users = try await h.graphql(
                "{ _users(params: {query: \"race\"}) { pagination { total } } }", admin: true)
            #expect(users.json["data"]["_users"]["pagination"]["total"].int == 1)
        }
    }

    @Test func aOneXDocumentIsAccepted() async throws {
        try await Harness.with { h in
            try await h.signup("old@example.com")
            let reply = try await h.graphql(
                """
                fragment who on User { id email __typename }
                mutation LegacyLogin($data: LoginInput!) { me: login(params: $data) { message user { ...who } } }
                query Other { meta { version } }
                """,
                variables: ["data": ["email": "old@example.com", "password": Harness.strongPassword]],
                operationName: "LegacyLogin")
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.json["data"]["me"]["message"].string == "Logged in successfully")
            #expect(reply.json["data"]["me"]["user"]["__typename"].string == "User")
        }
    }

    @Test func metaReportsTheConfiguration() async throws {
        try await Harness.with { h in
            let meta = try await h.graphql(
                "query { meta { version client_id is_sign_up_enabled is_strong_password_enabled is_email_verification_enabled } }"
            )
            #expect(meta.json["data"]["meta"]["client_id"].string == "test-client")
            #expect(meta.json["data"]["meta"]["is_sign_up_enabled"].bool == true)
            #expect(meta.json["data"]["meta"]["version"].string?.hasPrefix("2.") == true)
        }
    }
}
