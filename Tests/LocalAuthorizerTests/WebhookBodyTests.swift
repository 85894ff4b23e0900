import AuthorizerClient
import Foundation
import TestSupport
import Testing

@testable import LocalAuthorizer

/// Webhook bodies byte for byte as Authorizer 2.4.0 writes them (`internal/events/events.go`):
/// the golden files under `Tests/Fixtures/authorizer/golden/` are the real encoder's output for
/// one sample user, with the signatures it sends (client secret `golden-client-secret`).
@Suite struct WebhookBodyTests {
    /// The golden files' user (their README): verified, `family_name` with HTML characters, no
    /// app_data, revoked only in the revoke and deactivate events.
    static func sampleUser(revoked: Bool) -> AuthorizerUser {
        var user = AuthorizerUser(
            id: "8a2f9b1e-4c3d-4e5f-9a8b-7c6d5e4f3a2b", email: "jane.doe@example.com", passwordHash: nil,
            roles: ["user"],
            now: 1_755_600_000)
        user.updatedAt = 1_755_600_100
        user.emailVerifiedAt = 1_755_600_000
        user.givenName = "Jane"
        user.familyName = "Doe & <Co>"
        if revoked { user.revokedTimestamp = 1_755_600_200 }
        return user
    }

    static let signatures = [
        "user.signup": "5468416688ed5cb4da24f16b22c9ab26cd8c78c0caf57795e344a07d9dab3ce9",
        "user.created": "fded41d6fd559557bf1447d06e47f699bd92f41255c089b3e62f2c2cf5209ead",
        "user.login": "747325a12465a105e270151003aefe29b543f8acd67343e7ce13747d2d69f768",
        "user.deleted": "4db43f8f07ab32183009df2c5ecb66de954afe379cd992f1cca083631a3b4cea",
        "user.deactivated": "b0974768749641f93e19620c47c5c3a417bb89d08bc7df87ed31aa21ff92b665",
        "user.access_revoked": "ec1b024ee10977f6bb82441aac7e56014a3ef5d42e120cb019f3240761180614",
        "user.access_enabled": "9f4446a7b96cf58e285155f91cc899170a9989363cd0527fcdedcd5085de4569",
    ]

    @Test(arguments: WebhookDispatcher.events.sorted())
    func everyEventsBodyIsTheRealEncodersBytes(_ event: String) throws {
        let golden = try Fixtures.data("authorizer/golden/\(event).json")
        let revoked = ["user.access_revoked", "user.deactivated"].contains(event)
        let body = try WebhookDispatcher.body(
            event: event, user: Self.sampleUser(revoked: revoked), webhookID: "wh_1", description: nil)
        #expect(String(decoding: body, as: UTF8.self) == String(decoding: golden, as: UTF8.self))
        #expect(WebhookSignature.sign(body, secret: "golden-client-secret") == Self.signatures[event])
    }

    /// Non-empty app_data is a nested object with sorted keys; an explicit description, even "",
    /// is sent as stored (golden README, decisions 3 and 6).
    @Test func appDataAndAStoredDescriptionAreWrittenAsAuthorizerWritesThem() throws {
        var user = Self.sampleUser(revoked: false)
        user.appData = #"{"z":1,"a":{"k":"<v>"}}"#
        let body = String(
            decoding: try WebhookDispatcher.body(event: "user.deleted", user: user, webhookID: "w", description: ""),
            as: UTF8.self)
        #expect(body.contains(#""app_data":{"a":{"k":"\u003cv\u003e"},"z":1}"#))
        #expect(body.hasPrefix(#"{"event_description":"","event_name":"user.deleted""#))
        user.appData = "{}"
        let empty = String(
            decoding: try WebhookDispatcher.body(event: "user.deleted", user: user, webhookID: "w", description: nil),
            as: UTF8.self)
        #expect(!empty.contains("app_data"))
    }
}

/// Authorizer 2.4 refuses webhook endpoints on loopback and private addresses at `_add_webhook`
/// and `_update_webhook` (`service/admin_webhooks.go`, `validators/endpoint.go`) and again at
/// delivery (`events/events.go`), unless started with `--env=e2e`.
@Suite struct PrivateEndpointTests {
    @Test func privateAddressesAreRefusedUnlessE2E() async throws {
        let add = "mutation ($p: AddWebhookRequest!) { _add_webhook(params: $p) { message } }"
        try await Harness.with(configure: { $0.env = "" }) { h in
            for endpoint in [
                "http://127.0.0.1:9/hook", "http://localhost/hook", "http://10.1.2.3/x", "http://[::1]/x",
                "http://169.254.169.254/latest", "http://[::ffff:192.168.0.1]/x", "http://100.64.0.1/",
            ] {
                let reply = try await h.graphql(
                    add, variables: ["p": ["event_name": "user.login", "endpoint": endpoint, "enabled": true]],
                    admin: true)
                #expect(
                    reply.json["errors"][0]["message"].string
                        == "invalid endpoint: requests to private/internal networks are not allowed",
                    "\(endpoint): \(reply.text)")
                #expect(reply.json["errors"][0]["extensions"]["code"].string == "INVALID_ARGUMENT")
            }
            let scheme = try await h.graphql(
                add,
                variables: ["p": ["event_name": "user.login", "endpoint": "ftp://example.com/x", "enabled": true]],
                admin: true)
            #expect(
                scheme.json["errors"][0]["message"].string
                    == "invalid endpoint: only http and https schemes are allowed")
            let publicAddress = try await h.graphql(
                add,
                variables: [
                    "p": ["event_name": "user.login", "endpoint": "http://93.184.215.14/hook", "enabled": true]
                ], admin: true)
            #expect(
                publicAddress.json["data"]["_add_webhook"]["message"].string == "Added webhook successfully",
                "\(publicAddress.text)")
            // And at `_update_webhook`: a public endpoint moved to a private one is refused.
            let listed = try await h.graphql("{ _webhooks { webhooks { id } } }", admin: true)
            let id = try #require(listed.json["data"]["_webhooks"]["webhooks"][0]["id"].string, "\(listed.text)")
            let moved = try await h.graphql(
                "mutation ($p: UpdateWebhookRequest!) { _update_webhook(params: $p) { message } }",
                variables: ["p": ["id": id, "endpoint": "http://10.0.0.1/hook"]], admin: true)
            #expect(
                moved.json["errors"][0]["message"].string
                    == "invalid endpoint: requests to private/internal networks are not allowed", "\(moved.text)")
        }
        try await Harness.with(configure: { $0.env = "e2e" }) { h in
            let reply = try await h.graphql(
                add,
                variables: ["p": ["event_name": "user.login", "endpoint": "http://127.0.0.1:9/hook", "enabled": true]],
                admin: true)
            #expect(reply.json["data"]["_add_webhook"]["message"].string == "Added webhook successfully")
        }
    }

    @Test func theRangesAreAuthorizers() {
        for (address, refused) in [
            ([UInt8]([8, 8, 8, 8]), false), ([172, 15, 255, 255], false), ([172, 16, 0, 1], true),
            ([172, 31, 255, 255], true),
            ([172, 32, 0, 0], false), ([198, 19, 0, 1], true), ([198, 20, 0, 1], false), ([224, 0, 0, 1], true),
            ([255, 255, 255, 255], true), ([0, 1, 2, 3], true),
        ] {
            #expect(EndpointPolicy.isPrivate(address) == refused, "\(address)")
        }
        var v6 = [UInt8](repeating: 0, count: 16)
        v6[0] = 0x26; v6[1] = 0x06
        #expect(!EndpointPolicy.isPrivate(v6))
        v6[0] = 0xfd
        #expect(EndpointPolicy.isPrivate(v6))
        v6[0] = 0xfe; v6[1] = 0xbf
        #expect(EndpointPolicy.isPrivate(v6))
        v6[1] = 0xc0
        #expect(!EndpointPolicy.isPrivate(v6))
    }
}

/// Which events fire, in which order (`service/signup.go`, `service/verify_email.go`,
/// `service/login.go` at 2.4.0).
@Suite struct EventOrderTests {
    static func subscribeAll(_ h: Harness, _ endpoint: String) async throws {
        for event in WebhookDispatcher.events.sorted() {
            _ = try await h.graphql(
                "mutation ($p: AddWebhookRequest!) { _add_webhook(params: $p) { message } }",
                variables: ["p": ["event_name": event, "endpoint": endpoint, "enabled": true]], admin: true)
        }
    }

    static func names(_ deliveries: [AdminAndWebhookTests.Receiver.Delivery]) -> [String] {
        deliveries.compactMap { JSON(parsing: String(decoding: $0.body, as: UTF8.self))["event_name"].string }
    }

    @Test func signupFiresCreatedThenSignupThenLogin() async throws {
        let receiver = AdminAndWebhookTests.Receiver()
        try await receiver.app().test(.ahc(.http)) { client in
            try await Harness.with { h in
                try await Self.subscribeAll(h, "http://127.0.0.1:\(client.port ?? 0)/hook")
                let signup = try await h.signup("order@example.com")
                #expect(signup["message"].string == "Signed up successfully.")
                #expect(signup["id_token"].isNull, "signup's answer carries no id token")
                let names = Self.names(try await receiver.waitFor(3))
                #expect(names == ["user.created", "user.signup", "user.login"], "\(names)")
            }
        }
    }

    @Test func verificationFiresSignupAndLoginAgain() async throws {
        let receiver = AdminAndWebhookTests.Receiver()
        try await receiver.app().test(.ahc(.http)) { client in
            try await Harness.with(configure: { $0.enableEmailVerification = true }) { h in
                try await Self.subscribeAll(h, "http://127.0.0.1:\(client.port ?? 0)/hook")
                _ = try await h.signup("later@example.com")
                #expect(Self.names(try await receiver.waitFor(2)) == ["user.created", "user.signup"])
                let token = try #require(try await h.mailedToken(kind: "verify_email"))
                let verify = try await h.graphql(
                    "mutation ($p: VerifyEmailRequest!) { verify_email(params: $p) { access_token refresh_token } }",
                    variables: ["p": ["token": token]])
                #expect(verify.json["data"]["verify_email"]["refresh_token"].isNull)
                let names = Self.names(try await receiver.waitFor(4))
                #expect(names == ["user.created", "user.signup", "user.signup", "user.login"], "\(names)")
            }
        }
    }

    /// An unverified login with its signup link expired or used: a code by mail, `user.login`,
    /// and no token (`service/login.go`).
    @Test func anUnverifiedLoginMailsACodeAndFiresLogin() async throws {
        try await Harness.with { h in
            _ = try await h.signup("code@example.com")
            let user = try await h.graphql("{ _user(params: {email: \"code@example.com\"}) { id } }", admin: true)
            let id = try #require(user.json["data"]["_user"]["id"].string)
            _ = try await h.graphql(
                "mutation ($p: UpdateUserRequest!) { _update_user(params: $p) { id } }",
                variables: ["p": ["id": id, "email_verified": false]], admin: true)
            let login = try await h.graphql(
                "mutation ($p: LoginRequest!) { login(params: $p) { message should_show_email_otp_screen access_token user { id } } }",
                variables: ["p": ["email": "code@example.com", "password": "not-even-checked"]])
            let answer = login.json["data"]["login"]
            #expect(answer["message"].string == "Please check email inbox for the OTP")
            #expect(answer["should_show_email_otp_screen"].bool == true)
            #expect(answer["access_token"].isNull)
            #expect(answer["user"].isNull)
            // A 6-character code from generate_otp.go's alphabet, not a link.
            let mailed = try #require(try await h.outbox().last { $0["kind"].string == "email_otp" })
            let code = try #require(mailed["code"].string)
            #expect(code.count == 6 && code.allSatisfy { "ABCDEFGHJKLMNPQRSTUVWXYZ123456789".contains($0) })
        }
    }
}

/// The issuer is the scheme and host of `--url`, its path dropped (`internal/parsers/url.go`).
@Suite struct IssuerTests {
    @Test func thePathOfTheURLIsDroppedFromTheIssuer() {
        var configuration = AuthorizerConfiguration(clientID: "c", clientSecret: "s", adminSecret: "a")
        for (url, issuer) in [
            ("https://auth.example.com/some/path/", "https://auth.example.com"),
            ("HTTP://Auth.example.com:8443/x?y=1", "http://Auth.example.com:8443"),
            ("http://127.0.0.1:8081/", "http://127.0.0.1:8081"), ("http://[::1]:9000/auth", "http://[::1]:9000"),
        ] {
            configuration.url = url
            #expect(configuration.issuer == issuer, "\(url)")
        }
    }
}

/// What the twin does not implement answers as 2.4 does with the feature off
/// (`DisabledFeatures`, each with its source path).
@Suite struct SwitchedOffTests {
    @Test func aSampleOfSwitchedOffOperationsAnswersAsAuthorizer() async throws {
        // As started with `--disable-mfa --disable-totp-login`.
        try await Harness.with(configure: { $0.disableTOTPLogin = true }) { h in
            func answer(_ query: String, admin: Bool = true, bearer: String? = nil) async throws -> JSON {
                try await h.graphql(query, bearer: bearer, admin: admin).json
            }
            let mobile = try await answer(
                #"mutation { mobile_login(params: {phone_number: "1", password: "x"}) { message } }"#)
            #expect(mobile["errors"][0]["message"].string == "deprecated, use login with mobile phone_number")
            #expect(mobile["errors"][0]["extensions"].isNull)
            let magic = try await answer(
                #"mutation { magic_link_login(params: {email: "a@b.co"}) { message } }"#, admin: false)
            #expect(magic["errors"][0]["message"].string == "magic link login is disabled for this instance")
            #expect(magic["errors"][0]["extensions"]["code"].string == "FAILED_PRECONDITION")
            let fga = try await answer("{ _fga_get_model { id dsl } }")
            #expect(fga["errors"][0]["message"].string == "fine-grained authorization is not enabled")
            let unauthorized = try await answer("{ _fga_get_model { id dsl } }", admin: false)
            #expect(unauthorized["errors"][0]["message"].string == "unauthorized")
            let organizations = try await answer(
                "{ _organizations { pagination { limit page offset total } organizations { id } } }")
            #expect(organizations["data"]["_organizations"]["pagination"]["limit"].int == 10)
            #expect(organizations["data"]["_organizations"]["organizations"].array.isEmpty)
            let clients = try await answer(
                "{ _clients { pagination { total } clients { client_id name is_active allowed_scopes } } }")
            #expect(clients["data"]["_clients"]["clients"][0]["client_id"].string == h.configuration.clientID)
            #expect(clients["data"]["_clients"]["pagination"]["total"].int == 1)
            let env = try await answer("{ _env { CLIENT_ID } }")
            #expect(env["errors"][0]["message"].string == "deprecated. please configure env via cli args")
            let meta = try await answer(
                "{ meta { is_multi_factor_auth_enabled is_webauthn_enabled is_mfa_enforced is_org_discovery_enabled } }"
            )
            #expect(meta["data"]["meta"]["is_multi_factor_auth_enabled"].bool == false)
            #expect(meta["data"]["meta"]["is_webauthn_enabled"].bool == false)
            _ = try await h.signup("switched@example.com")
            let token = try #require(
                try await h.login("switched@example.com").json["data"]["login"]["access_token"].string)
            let passkeys = try await answer("{ webauthn_credentials { id name } }", admin: false, bearer: token)
            #expect(passkeys["data"]["webauthn_credentials"].array.isEmpty)
            let totp = try await answer("mutation { totp_mfa_setup { message } }", admin: false, bearer: token)
            #expect(totp["errors"][0]["message"].string == "authenticator app MFA is not available on this server")
            let noToken = try await answer("{ webauthn_credentials { id } }", admin: false)
            #expect(noToken["errors"][0]["message"].string == "unauthorized")
            let user = try await answer(
                #"{ profile { id enrolled_mfa_methods has_skipped_mfa_setup_at } }"#, admin: false, bearer: token)
            #expect(user["data"]["profile"]["enrolled_mfa_methods"].array.isEmpty)
        }
    }
}
