import Foundation
import HTTPTypes
import Testing

/// The web app's session survives a reload without giving tokens to scripts (issue 21): the
/// refresh token lives in an `HttpOnly; Secure; SameSite=Strict` cookie scoped to
/// `/auth/session`, rotated on each use, refused to other origins and to requests without the
/// custom header, and ended at Authorizer on `DELETE /auth/session`.
@Suite struct SessionCookieTests {
    static let cookieMode = HTTPField.Name("X-Platform-Session")!

    static func cookie(_ reply: GatewayHarness.Reply) -> (value: String, attributes: String)? {
        guard let header = reply.headers[values: .setCookie].first(where: { $0.hasPrefix("platform_session=") })
        else { return nil }
        let value = header.dropFirst("platform_session=".count).prefix { $0 != ";" }
        return (String(value), header)
    }

    @Test func aSignInInCookieModeKeepsTheRefreshTokenOutOfScripts() async throws {
        try await GatewayHarness.with(mode: .hybrid) { h in
            try #require(try await h.signup("cookie@example.com", clientName: "Cookie Co").status == .created)
            let origin = "http://localhost:\(h.gateway.port ?? 0)"
            let web: HTTPFields = [Self.cookieMode: "cookie", .origin: origin]
            let login = try await h.request(
                .post, "/auth/login", json: ["email": "cookie@example.com", "password": GatewayHarness.password],
                headers: web)
            #expect(login.status == .ok, "\(login.text)")
            #expect(login.json["refreshToken"].isNull, "no refresh token in the body: \(login.text)")
            #expect(login.json["accessToken"].string != nil)
            let (first, attributes) = try #require(Self.cookie(login))
            for attribute in ["Path=/auth/session", "HttpOnly", "SameSite=Strict", "Secure", "Max-Age=259"] {
                #expect(attributes.contains(attribute), "\(attributes)")
            }

            // A reload: the cookie alone gives a fresh access token and the user.
            var withCookie = web
            withCookie[.cookie] = "platform_session=\(first)"
            let resumed = try await h.request(.post, "/auth/session", headers: withCookie)
            #expect(resumed.status == .ok, "\(resumed.text)")
            #expect(resumed.json["user"]["email"].string == "cookie@example.com")
            #expect(resumed.json["refreshToken"].isNull)
            let access = try #require(resumed.json["accessToken"].string)
            #expect(try await h.request(.get, "/auth/me", bearer: access).status == .ok)
            let (second, _) = try #require(Self.cookie(resumed))
            #expect(second != first, "the refresh token rotates")

            // The spent cookie is refused and cleared; so are other origins and plain requests.
            let spent = try await h.request(.post, "/auth/session", headers: withCookie)
            #expect(spent.status == .unauthorized && spent.json["type"].string?.hasSuffix("no-session") == true)
            #expect(Self.cookie(spent)?.attributes.contains("Max-Age=0") == true)
            var foreign = withCookie
            foreign[.origin] = "https://evil.example"
            foreign[.cookie] = "platform_session=\(second)"
            let csrf = try await h.request(.post, "/auth/session", headers: foreign)
            #expect(csrf.status == .forbidden && csrf.json["type"].string?.hasSuffix("csrf-refused") == true)
            let plain = try await h.request(
                .post, "/auth/session", headers: [.origin: origin, .cookie: "platform_session=\(second)"])
            #expect(plain.status == .forbidden)
            #expect(try await h.request(.post, "/auth/session", headers: web).status == .unauthorized)

            // Sign-out ends the session at Authorizer and clears the cookie.
            var current = web
            current[.cookie] = "platform_session=\(second)"
            let out = try await h.request(.delete, "/auth/session", headers: current)
            #expect(out.status == .noContent)
            #expect(Self.cookie(out)?.attributes.contains("Max-Age=0") == true)
            #expect(try await h.request(.post, "/auth/session", headers: current).status == .unauthorized)
        }
    }

    @Test func anMFASignInInCookieModeSetsTheCookieToo() async throws {
        try await GatewayHarness.with(mode: .hybrid, authorizerConfigure: { $0.disableMFA = false }) { h in
            let origin = "http://localhost:\(h.gateway.port ?? 0)"
            let web: HTTPFields = [Self.cookieMode: "cookie", .origin: origin]
            let signup = try await h.request(
                .post, "/auth/signup",
                json: [
                    "email": "mfa-cookie@example.com", "password": GatewayHarness.password,
                    "confirmPassword": GatewayHarness.password, "clientName": "Cookie MFA",
                ], headers: web)
            let handle = try #require(signup.json["next"]["handle"].string, "\(signup.text)")
            let secret = try #require(signup.json["next"]["totp"]["secret"].string)
            let done = try await h.request(
                .post, "/auth/mfa/verify", json: ["handle": handle, "code": MFAFlowTests.totp(secret)], headers: web)
            #expect(done.status == .ok, "\(done.text)")
            #expect(done.json["refreshToken"].isNull)
            let (value, _) = try #require(Self.cookie(done), "a signup's session is kept across reloads too")
            var withCookie = web
            withCookie[.cookie] = "platform_session=\(value)"
            #expect(try await h.request(.post, "/auth/session", headers: withCookie).status == .ok)
        }
    }
}
