import AuthorizerClient
import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import LocalAuthorizer

/// The twin's half of Authorizer 2.4's behaviours that the gateway must survive (the gateway's
/// half is `Tests/GatewayTests/AuthorizerAsRunTests.swift`), over real HTTP.
@Suite struct AsRunTests {
    /// Behaviour 2 (`service/login.go`): an unverified address is answered before its password is
    /// checked, with a mailed code and no token, and `user.login` still fires.
    @Test func anUnverifiedLoginFiresUserLogin() async throws {
        let receiver = AdminAndWebhookTests.Receiver()
        try await receiver.app().test(.ahc(.http)) { client in
            try await Harness.with { h in
                _ = try await h.signup("pending@example.com")
                let user = try await h.graphql(
                    "{ _user(params: {email: \"pending@example.com\"}) { id } }", admin: true)
                let id = try #require(user.json["data"]["_user"]["id"].string)
                _ = try await h.graphql(
                    "mutation ($p: UpdateUserRequest!) { _update_user(params: $p) { id } }",
                    variables: ["p": ["id": id, "email_verified": false]], admin: true)
                try await EventOrderTests.subscribeAll(h, "http://127.0.0.1:\(client.port ?? 0)/hook")
                let login = try await h.login("pending@example.com", password: "not-even-checked")
                #expect(login.json["data"]["login"]["message"].string == "Please check email inbox for the OTP")
                #expect(login.json["data"]["login"]["access_token"].isNull)
                #expect(EventOrderTests.names(try await receiver.waitFor(1)) == ["user.login"])
            }
        }
    }

    /// Behaviour 5: golang-jwt v4 checks `exp` with no leeway, so a token two seconds past it is
    /// refused while its session lives; and it counts an `exp` of 0 as absent (`internal/token/jwt.go`).
    @Test func anExpiredTokenIsRefusedWithNoLeeway() async throws {
        try await Harness.with { h in
            let token = try #require(try await h.signup("late@example.com")["access_token"].string)
            let secret = try #require(h.configuration.jwtSecret)
            let payload = try #require(HMACJWT.base64URLDecoded(token.split(separator: ".")[1]))
            var claims = try #require(try JSONSerialization.jsonObject(with: payload) as? [String: Any])
            func forged(exp: Int) throws -> String {
                claims["exp"] = exp
                return try #require(
                    HMACJWT.sign(
                        header: Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8),
                        payload: try JSONSerialization.data(withJSONObject: claims), algorithm: "HS256", secret: secret)
                )
            }
            let late = try await h.validate(try forged(exp: Int(Date().timeIntervalSince1970) - 2))
            #expect(late.json["errors"][0]["message"].string == "Token is expired", "\(late.text)")
            let zero = try await h.validate(try forged(exp: 0))
            #expect(zero.json["data"]["validate_jwt_token"]["is_valid"].bool == true, "\(zero.text)")
            // And `nbf` and `iat` in the future, in the library's words.
            let now = Int(Date().timeIntervalSince1970)
            for (claim, message) in [("nbf", "Token is not valid yet"), ("iat", "Token used before issued")] {
                claims["exp"] = now + 600
                claims[claim] = now + 3600
                let token = try #require(
                    HMACJWT.sign(
                        header: Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8),
                        payload: try JSONSerialization.data(withJSONObject: claims), algorithm: "HS256", secret: secret)
                )
                claims[claim] = nil
                #expect(try await h.validate(token).json["errors"][0]["message"].string == message, "\(claim)")
            }
        }
    }

    /// Behaviour 7 (`storage/db/sql/user.go` ListUsers): `_users` pages are ordered by
    /// `created_at DESC`, newest first, with LIMIT and OFFSET.
    @Test func usersAreListedNewestFirst() async throws {
        try await Harness.with { h in
            for name in ["first", "second", "third"] {
                _ = try await h.signup("\(name)@example.com")
                try await Task.sleep(for: .milliseconds(1100))  // created_at has whole seconds
            }
            let query = "query ($p: ListUsersRequest) { _users(params: $p) { users { email } } }"
            func page(_ number: Int) async throws -> [String?] {
                let reply = try await h.graphql(
                    query, variables: ["p": ["pagination": ["limit": 2, "page": number]]], admin: true)
                return reply.json["data"]["_users"]["users"].array.map { $0["email"].string }
            }
            #expect(try await page(1) == ["third@example.com", "second@example.com"])
            #expect(try await page(2) == ["first@example.com"])
            // No bounds (`utils/pagination.go`, gorm): a negative limit is none, 0 is an empty
            // page, a page of 0 or less starts at the first user. The twin used to refuse these.
            func list(_ pagination: [String: Int], query: String? = nil) async throws -> [String?] {
                var params: [String: Any] = ["pagination": pagination]
                if let query { params["query"] = query }
                let reply = try await h.graphql(
                    "query ($p: ListUsersRequest) { _users(params: $p) { users { email } } }",
                    variables: ["p": params], admin: true)
                #expect(reply.json["errors"].isNull, "\(reply.text)")
                return reply.json["data"]["_users"]["users"].array.map { $0["email"].string }
            }
            #expect(try await list(["limit": -1]).count == 3)
            #expect(try await list(["limit": 0]).isEmpty)
            #expect(try await list(["limit": 5000, "page": -3]).count == 3)
            #expect(try await list(["limit": 10, "page": Int(Int32.max)]).isEmpty)
            // The same pagination for webhooks and their logs, which once trapped on a negative one.
            for (field, query) in [
                ("_webhooks", "query ($p: PaginationRequest) { _webhooks(params: $p) { webhooks { id } } }"),
                (
                    "_webhook_logs",
                    "query ($p: ListWebhookLogRequest) { _webhook_logs(params: $p) { webhook_logs { id } } }"
                ),
            ] {
                for pagination in [["limit": -1, "page": -5], ["limit": 0], ["limit": 3, "page": 0]] {
                    let params: [String: Any] = field == "_webhooks" ? pagination : ["pagination": pagination]
                    let reply = try await h.graphql(query, variables: ["p": params], admin: true)
                    #expect(reply.json["errors"].isNull, "\(field) \(pagination): \(reply.text)")
                }
            }
        }
    }

    /// Behaviour 11 (`service/signup.go`): a disabled signup is `FAILED_PRECONDITION`.
    @Test func aDisabledSignupIsAFailedPrecondition() async throws {
        try await Harness.with(configure: { $0.enableSignup = false }) { h in
            let reply = try await h.graphql(
                "mutation ($p: SignUpRequest!) { signup(params: $p) { message } }",
                variables: [
                    "p": [
                        "email": "no@example.com", "password": Harness.strongPassword,
                        "confirm_password": Harness.strongPassword,
                    ]
                ])
            #expect(reply.json["errors"][0]["message"].string == "signup is disabled for this instance")
            #expect(reply.json["errors"][0]["extensions"]["code"].string == "FAILED_PRECONDITION")
        }
    }

    /// Behaviour 9 over HTTP (`events/events.go`): what the twin POSTs for a login is 2.4.0's
    /// golden body byte for byte, but for the values that name this user and this moment (id,
    /// times, webhook id), and its signature is the HMAC of exactly the bytes received.
    @Test func aDeliveredLoginIsTheGoldenBody() async throws {
        let receiver = AdminAndWebhookTests.Receiver()
        try await receiver.app().test(.ahc(.http)) { client in
            try await Harness.with { h in
                _ = try await h.signup(
                    "jane.doe@example.com", extra: ["given_name": "Jane", "family_name": "Doe & <Co>"])
                try await Self.subscribeLogins(h, port: client.port)
                _ = try await h.login("jane.doe@example.com")
                let delivery = try #require(try await receiver.waitFor(1).first)
                func normalised(_ data: Data) -> String {
                    var text = String(decoding: data, as: UTF8.self)
                    for (pattern, placeholder) in [
                        (#""id":"[^"]*""#, #""id":"ID""#), (#""webhook_id":"[^"]*""#, #""webhook_id":"W""#),
                        (#""created_at":[0-9]+"#, #""created_at":0"#), (#""updated_at":[0-9]+"#, #""updated_at":0"#),
                    ] {
                        text = text.replacingOccurrences(of: pattern, with: placeholder, options: .regularExpression)
                    }
                    return text
                }
                let golden = try Fixtures.data("authorizer/golden/user.login.json")
                #expect(normalised(delivery.body) == normalised(golden))
                let mac = HMAC<SHA256>.authenticationCode(
                    for: delivery.body, using: SymmetricKey(data: Data(h.configuration.clientSecret.utf8)))
                #expect(delivery.signature == mac.map { String(format: "%02x", $0) }.joined())
            }
        }
    }

    /// A password change through `update_profile`, refused in 2.4's order and words
    /// (`service/update_profile.go`); the twin used to answer each as a mismatch or a wrong old
    /// password.
    @Test func aPasswordChangeIsCheckedInAuthorizersOrder() async throws {
        try await Harness.with { h in
            let token = try #require(try await h.signup("change@example.com")["access_token"].string)
            let strong = Harness.strongPassword
            for (params, message) in [
                (["new_password": "N3w!password"], "confirm password is required"),
                (["confirm_new_password": "N3w!password"], "new password is required"),
                (["new_password": "N3w!password", "confirm_new_password": "N3w!password"], "old password is required"),
                (
                    ["old_password": "wrong", "new_password": "N3w!password", "confirm_new_password": "N3w!password"],
                    "incorrect old password"
                ),
                (
                    ["old_password": strong, "new_password": "N3w!password", "confirm_new_password": "Other!pass1"],
                    "password and confirm password does not match"
                ),
            ] {
                let reply = try await h.graphql(
                    "mutation ($p: UpdateProfileRequest!) { update_profile(params: $p) { message } }",
                    variables: ["p": params], bearer: token)
                #expect(reply.json["errors"][0]["message"].string == message, "\(params)")
            }
            let changed = try await h.graphql(
                "mutation ($p: UpdateProfileRequest!) { update_profile(params: $p) { message } }",
                variables: [
                    "p": [
                        "old_password": strong, "new_password": "N3w!password", "confirm_new_password": "N3w!password",
                    ]
                ], bearer: token)
            #expect(changed.json["errors"].isNull, "\(changed.text)")
            #expect(try await h.login("change@example.com", password: "N3w!password").json["errors"].isNull)
        }
    }

    /// `validate_jwt_token`'s session key and roles as 2.4 reads them
    /// (`service/validate_jwt_token.go`): a session is found by `<login_method>:<sub>` and its
    /// nonce, so another login method names none; roles come from the role claim, else `roles`
    /// when that is empty, and each must be a non-empty string even when no role is asked for.
    @Test func sessionKeyAndRolesAreReadAsAuthorizerReadsThem() async throws {
        try await Harness.with { h in
            let token = try #require(try await h.signup("claims@example.com")["access_token"].string)
            let secret = try #require(h.configuration.jwtSecret)
            let payload = try #require(HMACJWT.base64URLDecoded(token.split(separator: ".")[1]))
            let claims = try #require(try JSONSerialization.jsonObject(with: payload) as? [String: Any])
            func forged(_ changes: [String: Any]) throws -> String {
                try #require(
                    HMACJWT.sign(
                        header: Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8),
                        payload: try JSONSerialization.data(withJSONObject: claims.merging(changes) { $1 }),
                        algorithm: "HS256", secret: secret))
            }
            func validate(_ token: String, roles: [String]? = nil) async throws -> Harness.Reply {
                var params: [String: Any] = ["token": token, "token_type": "access_token"]
                if let roles { params["roles"] = roles }
                return try await h.graphql(
                    "query ($p: ValidateJWTTokenRequest!) { validate_jwt_token(params: $p) { is_valid } }",
                    variables: ["p": params])
            }
            let otherMethod = try await validate(try forged(["login_method": "magic_link_login"]))
            #expect(otherMethod.json["errors"][0]["message"].string == "invalid token", "\(otherMethod.text)")
            let emptyRole = try await validate(try forged(["roles": ["user", ""]]))
            #expect(emptyRole.json["errors"][0]["message"].string == "invalid claims", "\(emptyRole.text)")
            let fallback = try await validate(try forged(["role": [String](), "roles": ["user"]]), roles: ["user"])
            #expect(fallback.json["data"]["validate_jwt_token"]["is_valid"].bool == true, "\(fallback.text)")
        }
    }

    /// Behaviour 10 (`events/events.go`): deliveries carry no id and no timestamp, so two logins of
    /// an unchanged user are the same bytes; behaviour 4
    /// (`service/validate_jwt_token.go`): a refresh token validates as an access token while its
    /// session lives, since 2.4 does not compare `token_type`.
    @Test func twoLoginsAreTheSameBytesAndARefreshTokenValidatesAsAccess() async throws {
        let receiver = AdminAndWebhookTests.Receiver()
        try await receiver.app().test(.ahc(.http)) { client in
            try await Harness.with { h in
                _ = try await h.signup("twice@example.com")
                try await Self.subscribeLogins(h, port: client.port)
                let login = try await h.login("twice@example.com", scope: ["openid", "offline_access"])
                _ = try await h.login("twice@example.com")
                let deliveries = try await receiver.waitFor(2)
                #expect(deliveries.count == 2 && deliveries[0].body == deliveries[1].body)
                let refresh = try #require(login.json["data"]["login"]["refresh_token"].string)
                let valid = try await h.validate(refresh, type: "access_token")
                #expect(valid.json["data"]["validate_jwt_token"]["is_valid"].bool == true, "\(valid.text)")
            }
        }
    }

    /// Subscribes the receiver on `port` to `user.login` only.
    static func subscribeLogins(_ h: Harness, port: Int?) async throws {
        _ = try await h.graphql(
            "mutation ($p: AddWebhookRequest!) { _add_webhook(params: $p) { message } }",
            variables: [
                "p": ["event_name": "user.login", "endpoint": "http://127.0.0.1:\(port ?? 0)/hook", "enabled": true]
            ], admin: true)
    }
}
