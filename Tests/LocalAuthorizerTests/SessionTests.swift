import Foundation
import Testing

@testable import LocalAuthorizer

@Suite struct SessionTests {
    @Test func refreshTokensRotateAndAnOldOneFails() async throws {
        try await Harness.with { h in
            try await h.signup("r@example.com")
            let login = try await h.login("r@example.com", scope: ["openid", "email", "offline_access"])
            let first = try #require(login.json["data"]["login"]["refresh_token"].string)
            #expect(
                try await h.login("r@example.com").json["data"]["login"]["refresh_token"].isNull,
                "no offline_access, no refresh token")
            #expect(
                try await h.validate(first, type: "refresh_token").json["data"]["validate_jwt_token"]["is_valid"].bool
                    == true)

            // 2.4 resolves the client first, for this grant too (`service/clientauth/clientauth.go`,
            // `http_handlers/token.go`); the twin used to skip it.
            let noClient = try await h.post(
                Data("grant_type=refresh_token&refresh_token=\(first)".utf8), uri: "/oauth/token",
                contentType: "application/x-www-form-urlencoded")
            #expect(noClient.status == .badRequest)
            #expect(noClient.json["error_description"].string == "The client_id parameter is required")
            let otherClient = try await h.post(
                Data("grant_type=refresh_token&client_id=other&refresh_token=\(first)".utf8), uri: "/oauth/token",
                contentType: "application/x-www-form-urlencoded")
            #expect(otherClient.json["error"].string == "invalid_client")
            let noToken = try await h.post(
                Data("grant_type=refresh_token&client_id=test-client".utf8), uri: "/oauth/token",
                contentType: "application/x-www-form-urlencoded")
            #expect(
                noToken.json["error_description"].string
                    == "The refresh_token parameter is required for refresh_token grant type")

            let exchange = try await h.post(
                Data("grant_type=refresh_token&client_id=test-client&refresh_token=\(first)".utf8), uri: "/oauth/token",
                contentType: "application/x-www-form-urlencoded")
            #expect(exchange.status == .ok, "\(exchange.text)")
            let second = try #require(exchange.json["refresh_token"].string)
            let access = try #require(exchange.json["access_token"].string)
            #expect(second != first)
            #expect(try await h.validate(access).json["data"]["validate_jwt_token"]["is_valid"].bool == true)

            let reuse = try await h.post(
                Data(#"{"grant_type":"refresh_token","client_id":"test-client","refresh_token":"\#(first)"}"#.utf8),
                uri: "/oauth/token")
            #expect(reuse.status == .badRequest)
            #expect(reuse.json["error"].string == "invalid_grant")

            let revoke = try await h.graphql(
                "mutation ($p: OAuthRevokeRequest!) { revoke(params: $p) { message } }",
                variables: ["p": ["refresh_token": second]])
            #expect(revoke.json["data"]["revoke"]["message"].string != nil)
            let afterRevoke = try await h.post(
                Data(#"{"grant_type":"refresh_token","client_id":"test-client","refresh_token":"\#(second)"}"#.utf8),
                uri: "/oauth/token")
            #expect(afterRevoke.json["error"].string == "invalid_grant")
            #expect(try await h.validate(access).json["errors"][0]["message"].string == "invalid token")

            let wrongGrant = try await h.post(Data(#"{"grant_type":"password"}"#.utf8), uri: "/oauth/token")
            #expect(wrongGrant.json["error"].string == "unsupported_grant_type")
        }
    }

    @Test func theBrowserSessionCookieWorksForSessionValidateAndLogout() async throws {
        try await Harness.with { h in
            try await h.signup("c@example.com")
            let login = try await h.login("c@example.com")
            let cookie = try #require(login.setCookie("cookie_session"))
            #expect(
                login.headers[values: .setCookie].contains { $0.contains("HttpOnly") && $0.contains("SameSite=Lax") })

            let session = try await h.graphql(
                "{ session { access_token user { email } } }", cookie: "cookie_session=\(cookie)")
            #expect(session.json["data"]["session"]["user"]["email"].string == "c@example.com")
            let fresh = try #require(session.json["data"]["session"]["access_token"].string)
            #expect(try await h.validate(fresh).json["data"]["validate_jwt_token"]["is_valid"].bool == true)

            let valid = try await h.graphql(
                "query ($p: ValidateSessionRequest) { validate_session(params: $p) { is_valid user { email } } }",
                variables: ["p": ["cookie": cookie]])
            #expect(valid.json["data"]["validate_session"]["is_valid"].bool == true)

            let logout = try await h.graphql("mutation { logout { message } }", cookie: "cookie_session=\(cookie)")
            #expect(logout.json["data"]["logout"]["message"].string == "Logged out successfully")
            let after = try await h.graphql("{ session { access_token } }", cookie: "cookie_session=\(cookie)")
            #expect(after.json["errors"][0]["message"].string == "unauthorized")
            #expect(try await h.validate(fresh).json["errors"][0]["message"].string == "invalid token")
        }
    }

    @Test func adminCookieFromAdminLogin() async throws {
        try await Harness.with { h in
            let wrong = try await h.graphql(
                "mutation ($p: AdminLoginRequest!) { _admin_login(params: $p) { message } }",
                variables: ["p": ["admin_secret": "nope"]])
            #expect(wrong.json["errors"][0]["extensions"]["code"].string == "UNAUTHENTICATED")
            let right = try await h.graphql(
                "mutation ($p: AdminLoginRequest!) { _admin_login(params: $p) { message } }",
                variables: ["p": ["admin_secret": h.configuration.adminSecret]])
            let cookie = try #require(right.setCookie("authorizer-admin"))
            #expect(!cookie.contains(h.configuration.adminSecret), "the cookie holds a hash, not the secret")
            let users = try await h.graphql("{ _users { pagination { total } } }", cookie: "authorizer-admin=\(cookie)")
            #expect(users.json["data"]["_users"]["pagination"]["total"].int == 0)
            let session = try await h.graphql("{ _admin_session { message } }", cookie: "authorizer-admin=\(cookie)")
            #expect(session.json["data"]["_admin_session"]["message"].string != nil)
            let logout = try await h.graphql(
                "mutation { _admin_logout { message } }", cookie: "authorizer-admin=\(cookie)")
            #expect(logout.setCookie("authorizer-admin") == "")
        }
    }
}

/// Refresh-token reuse as 2.4 detects it (`http_handlers/token.go` handleRefreshTokenReuse, OAuth
/// 2.1 §6.1): a replay of the token just rotated away, within 10 s, is a double submit and ends
/// nothing; a replay of an older one ends the lineage's live session. The twin used to refuse the
/// replay only, which let a client that replays old refresh tokens pass here and sign its users
/// out against Authorizer.
@Suite struct RefreshReuseTests {
    @Test func anOlderReplayEndsTheLiveSessionAndADoubleSubmitDoesNot() async throws {
        try await Harness.with { h in
            try await h.signup("reuse@example.com")
            let login = try await h.login("reuse@example.com", scope: ["openid", "email", "offline_access"])
            let first = try #require(login.json["data"]["login"]["refresh_token"].string)
            func exchange(_ token: String) async throws -> Harness.Reply {
                try await h.post(
                    Data("grant_type=refresh_token&client_id=test-client&refresh_token=\(token)".utf8),
                    uri: "/oauth/token", contentType: "application/x-www-form-urlencoded")
            }
            let second = try #require(try await exchange(first).json["refresh_token"].string)
            // The immediate predecessor again, at once: refused, and nothing else ends.
            #expect(try await exchange(first).json["error"].string == "invalid_grant")
            let rotated = try await exchange(second)
            let third = try #require(rotated.json["refresh_token"].string, "\(rotated.text)")
            let access = try #require(rotated.json["access_token"].string)
            #expect(try await h.validate(access).json["data"]["validate_jwt_token"]["is_valid"].bool == true)
            // An older one: refused, and the lineage's live session ends with it.
            #expect(try await exchange(first).json["error"].string == "invalid_grant")
            #expect(try await h.validate(access).json["errors"][0]["message"].string == "invalid token")
            #expect(try await exchange(third).json["error"].string == "invalid_grant")
            // Another lineage of the same user is untouched.
            let other = try await h.login("reuse@example.com", scope: ["openid", "offline_access"])
            let otherToken = try #require(other.json["data"]["login"]["refresh_token"].string)
            #expect(try await exchange(otherToken).json["access_token"].string != nil)
        }
    }
}
