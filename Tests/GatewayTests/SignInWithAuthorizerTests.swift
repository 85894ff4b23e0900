import AsyncHTTPClient
import Crypto
import Foundation
import HTTPTypes
import NIOCore
import Testing

/// "Sign in with Authorizer" (issue 21): the authorization-code flow with PKCE through the local
/// Authorizer's `/authorize` and hosted page, and the gateway's `/auth/oauth/token`, over real
/// HTTP. The user is provisioned on the first token, with no webhook delivered.
@Suite struct SignInWithAuthorizerTests {
    static let browser = HTTPClient(configuration: .init(redirectConfiguration: .disallow))
    static let redirect = "http://webapp.example/"

    /// One browser step at the local Authorizer: the answer's status, Location and cookies.
    static func step(_ url: String, form: String? = nil, cookie: String? = nil) async throws
        -> (status: UInt, location: String?, cookies: [String])
    {
        var request = HTTPClientRequest(url: url)
        if let cookie { request.headers.add(name: "Cookie", value: cookie) }
        if let form {
            request.method = .POST
            // The hosted page's own origin, as a browser sends it with the form.
            if let parts = URLComponents(string: url), let scheme = parts.scheme, let host = parts.host {
                request.headers.add(name: "Origin", value: "\(scheme)://\(host)" + (parts.port.map { ":\($0)" } ?? ""))
            }
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: form))
        }
        let response = try await browser.execute(request, timeout: .seconds(5))
        _ = try await response.body.collect(upTo: 1 << 20)
        return (response.status.code, response.headers.first(name: "Location"), response.headers["Set-Cookie"])
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    @Test func aCodeAndItsVerifierSignInAndProvisionTheUser() async throws {
        try await GatewayHarness.with(
            mode: .hybrid, webhooksDelivered: false,
            authorizerConfigure: { $0.allowedOrigins = ["http://localhost", "http://webapp.example"] }
        ) { h in
            // Someone who signed up at Authorizer itself: the platform has never heard of them.
            try await h.authorizerAdmin(
                "mutation ($p: SignUpRequest!) { signup(params: $p) { message } }",
                variables: [
                    "p": [
                        "email": "sso@example.com", "password": GatewayHarness.password,
                        "confirm_password": GatewayHarness.password,
                    ]
                ])
            let origin = "http://localhost:\(h.gateway.port ?? 0)"
            let web: HTTPFields = [HTTPField.Name("X-Platform-Session")!: "cookie", .origin: origin]
            #expect(
                try await h.request(.post, "/auth/oauth/start", json: ["redirectUri": Self.redirect]).status
                    == .forbidden, "same origin only")
            let started = try await h.request(
                .post, "/auth/oauth/start", json: ["redirectUri": Self.redirect], headers: web)
            #expect(started.status == .ok, "\(started.text)")
            let address = try #require(started.json["authorizationURL"].string)
            #expect(address.hasPrefix(h.authorizerURL + "/authorize?"), "\(address)")
            #expect(address.contains("code_challenge_method=S256") && address.contains("offline_access"))
            let pkce = try #require(
                started.headers[values: .setCookie].first { $0.hasPrefix("platform_pkce=") }, "the verifier's cookie")
            #expect(pkce.contains("HttpOnly") && pkce.contains("SameSite=Strict") && pkce.contains("Path=/auth/oauth"))
            let pkcePair = String(pkce.prefix { $0 != ";" })
            let state = try #require(URLComponents(string: address)?.queryItems?.first { $0.name == "state" }?.value)
            let query = String(address.dropFirst((h.authorizerURL + "/authorize?").count))

            let first = try await Self.step(address)
            #expect(first.status == 302 && first.location == "/app?" + query, "\(first)")
            let login = try await Self.step(
                h.authorizerURL + "/app/login",
                form: "q=\(Self.encode(query))&email=sso%40example.com&password=\(Self.encode(GatewayHarness.password))"
            )
            #expect(login.status == 302, "\(login)")
            let session = try #require(login.cookies.first { $0.hasPrefix("cookie_session=") }?.prefix { $0 != ";" })
            func code(_ cookie: String) async throws -> (code: String, cookie: String) {
                let back = try await Self.step(address, cookie: cookie)
                let location = try #require(back.location)
                #expect(location.hasPrefix(Self.redirect + "?code="), "\(location)")
                let code = try #require(URLComponents(string: location)?.queryItems?.first { $0.name == "code" }?.value)
                let rolled = try #require(back.cookies.first { $0.hasPrefix("cookie_session=") }?.prefix { $0 != ";" })
                return (code, String(rolled))
            }
            let firstCode = try await code(String(session))

            // Without the cookie (another browser) or with another state: not started here.
            let elsewhere = try await h.request(
                .post, "/auth/oauth/token",
                json: ["code": firstCode.code, "state": state, "redirectUri": Self.redirect],
                headers: web)
            #expect(elsewhere.status == .badRequest && elsewhere.json["field"].string == "state", "\(elsewhere.text)")
            // A verifier that does not match the challenge: Authorizer refuses, and the code is spent.
            var forged = web
            forged[.cookie] = "platform_pkce=\(state).\(String(repeating: "x", count: 43))"
            let wrong = try await h.request(
                .post, "/auth/oauth/token",
                json: ["code": firstCode.code, "state": state, "redirectUri": Self.redirect],
                headers: forged)
            #expect(wrong.status == .badRequest, "\(wrong.text)")
            #expect(wrong.json["type"].string?.hasSuffix("invalid-grant") == true)
            #expect(wrong.json["detail"].string?.contains("code_verifier does not match") == true, "\(wrong.text)")

            var withCookie = web
            withCookie[.cookie] = pkcePair
            let second = try await code(firstCode.cookie)
            let signedIn = try await h.request(
                .post, "/auth/oauth/token", json: ["code": second.code, "state": state, "redirectUri": Self.redirect],
                headers: withCookie)
            #expect(signedIn.status == .ok, "\(signedIn.text)")
            #expect(signedIn.json["user"]["email"].string == "sso@example.com")
            #expect(signedIn.json["refreshToken"].isNull, "in the session cookie, not the body")
            #expect(signedIn.headers[values: .setCookie].contains { $0.hasPrefix("platform_session=") })
            #expect(signedIn.headers[values: .setCookie].contains { $0.hasPrefix("platform_pkce=;") }, "spent")
            let access = try #require(signedIn.json["accessToken"].string)
            #expect(try await h.request(.get, "/auth/me", bearer: access).json["email"].string == "sso@example.com")
        }
    }

    /// Magic link (`magic_link_login`, then Authorizer's `GET /verify_email`, which brings the
    /// tokens back to the web app in the address): the gateway checks them, rotates the refresh
    /// token into the session cookie, and provisions the user; the link works once.
    @Test func aMagicLinkSignsInOnceThroughTheWebApp() async throws {
        try await GatewayHarness.with(
            mode: .hybrid, emailVerification: true,
            authorizerConfigure: {
                $0.enableMagicLinkLogin = true
                $0.allowedOrigins = ["http://localhost", "http://webapp.example"]
            },
            configure: { $0.authorizer?.webAppURL = "http://webapp.example" }
        ) { h in
            let options = try await h.request(.get, "/auth/options")
            #expect(options.json["magicLink"].bool == true && options.json["strongPassword"].bool == true)
            let origin = "http://localhost:\(h.gateway.port ?? 0)"
            let web: HTTPFields = [HTTPField.Name("X-Platform-Session")!: "cookie", .origin: origin]
            let asked = try await h.request(
                .post, "/auth/magic-link", json: ["email": "link@example.com"], headers: web)
            #expect(asked.status == .accepted, "\(asked.text)")
            let linkCookie = try #require(
                asked.headers[values: .setCookie].first { $0.hasPrefix("platform_link=") }?.prefix { $0 != ";" })
            let mailed = try #require(try await h.mailedLink(kind: "magic_link_login"))
            // The local Authorizer of the tests listens on a port it picked; its --url says port 0.
            let path = try #require(mailed.range(of: "/verify_email?token=")).lowerBound
            let link = h.authorizerURL + mailed[path...]
            #expect(mailed.contains("&redirect_uri=http://webapp.example/?state="), "\(mailed)")
            let opened = try await Self.step(link)
            #expect(opened.status == 307, "\(opened)")
            let back = try #require(opened.location)
            #expect(back.hasPrefix("http://webapp.example/?state="), "\(back)")
            let items = URLComponents(string: back)?.queryItems ?? []
            let access = try #require(items.first { $0.name == "access_token" }?.value)
            let refresh = try #require(
                items.first { $0.name == "refresh_token" }?.value, "offline_access was asked for")
            let state = try #require(items.first { $0.name == "state" }?.value)
            let tokens = ["accessToken": access, "refreshToken": refresh, "state": state]

            // The same address opened in a browser that did not ask (a link crafted for a victim).
            let elsewhere = try await h.request(.post, "/auth/magic-link/complete", json: tokens, headers: web)
            #expect(elsewhere.status == .badRequest && elsewhere.json["field"].string == "state", "\(elsewhere.text)")
            var here = web
            here[.cookie] = String(linkCookie)
            let signedIn = try await h.request(.post, "/auth/magic-link/complete", json: tokens, headers: here)
            #expect(signedIn.status == .ok, "\(signedIn.text)")
            #expect(signedIn.json["user"]["email"].string == "link@example.com")
            #expect(signedIn.headers[values: .setCookie].contains { $0.hasPrefix("platform_session=") })
            // The copy of the refresh token left in the address is spent.
            let replay = try await h.request(.post, "/auth/magic-link/complete", json: tokens, headers: here)
            #expect(replay.status == .unauthorized, "\(replay.text)")
            // The link itself works once.
            let again = try await Self.step(link)
            #expect(again.location?.contains("error=invalid verification token") == true, "\(again)")
            let forged = try await h.request(
                .post, "/auth/magic-link/complete", json: ["accessToken": "not.a.token", "state": state],
                headers: here)
            #expect(forged.status == .unauthorized)
        }
    }
}
