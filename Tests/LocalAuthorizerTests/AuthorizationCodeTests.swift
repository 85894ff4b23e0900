import AsyncHTTPClient
import Crypto
import Foundation
import HTTPTypes
import NIOCore
import Testing

@testable import LocalAuthorizer

/// The authorization-code flow with PKCE as Authorizer 2.4 serves it, over real HTTP:
/// `http_handlers/authorize.go` and `http_handlers/token.go` (tag 2.4.0), RFC 7636.
@Suite struct AuthorizationCodeTests {
    static let redirect = "http://app.example/callback"

    static func challenge(_ verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Follows no redirect (the test client would), as a browser's single step is observed.
    static let browser = HTTPClient(configuration: .init(redirectConfiguration: .disallow))

    /// A browser's request; a body is a form.
    func get(_ h: Harness, _ uri: String, cookie: String? = nil, form: String? = nil) async throws -> Harness.Reply {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(h.port)" + uri)
        if let cookie { request.headers.add(name: "Cookie", value: cookie) }
        if let form {
            request.method = .POST
            request.headers.add(name: "Origin", value: "http://127.0.0.1:\(h.port)")
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: form))
        }
        let response = try await Self.browser.execute(request, timeout: .seconds(5))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        var headers: HTTPFields = [:]
        for (name, value) in response.headers {
            if let field = HTTPField.Name(name) { headers.append(HTTPField(name: field, value: value)) }
        }
        return Harness.Reply(
            status: .init(code: Int(response.status.code)), json: JSON(parsing: text), text: text, headers: headers)
    }

    func authorizeQuery(_ verifier: String, state: String = "st-1") -> String {
        "/authorize?response_type=code&client_id=test-client&redirect_uri=\(Self.redirect)&state=\(state)"
            + "&scope=openid%20email%20profile%20offline_access&code_challenge=\(Self.challenge(verifier))"
            + "&code_challenge_method=S256"
    }

    /// A code for `verifier`'s challenge from a signed-in browser session, and the session's new
    /// cookie (`/authorize` rolls the session over).
    func code(_ h: Harness, _ verifier: String, cookie: String) async throws -> (code: String, cookie: String) {
        let reply = try await get(h, authorizeQuery(verifier), cookie: "cookie_session=\(cookie)")
        #expect(reply.status == .found)
        let location = try #require(reply.headers[.location])
        #expect(location.hasPrefix(Self.redirect + "?code="), "\(location)")
        #expect(location.contains("state=st-1"))
        let code = try #require(URLComponents(string: location)?.queryItems?.first { $0.name == "code" }?.value)
        return (code, try #require(reply.setCookie("cookie_session")))
    }

    func exchange(_ h: Harness, _ fields: [String: String]) async throws -> Harness.Reply {
        let body = fields.map {
            "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }
        .joined(separator: "&")
        return try await h.post(
            Data(body.utf8), uri: "/oauth/token", contentType: "application/x-www-form-urlencoded", origin: "")
    }

    @Test func aCodeIsIssuedToASignedInBrowserAndSpentOnceWithItsVerifier() async throws {
        try await Harness.with(configure: { $0.allowedOrigins = ["http://app.example", "http://localhost"] }) { h in
            _ = try await h.signup("pkce@example.com")
            // No browser session: the hosted login page, with every parameter carried over.
            let anonymous = try await get(h, authorizeQuery("v"))
            #expect(anonymous.status == .found)
            #expect(anonymous.headers[.location]?.hasPrefix("/app?response_type=code") == true)
            let page = try await get(h, try #require(anonymous.headers[.location]))
            #expect(page.text.contains("action=\"/app/login\""))

            // The page's form signs in and returns to /authorize with the session cookie.
            let query = String(authorizeQuery("x").dropFirst("/authorize?".count))
            let form =
                "q=\(query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
                + "&email=pkce%40example.com&password=\(Harness.strongPassword.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
            let signedIn = try await get(h, "/app/login", form: form)
            #expect(signedIn.status == .found, "\(signedIn.text)")
            #expect(signedIn.headers[.location] == "/authorize?" + query)
            let session = try #require(signedIn.setCookie("cookie_session"))

            let verifier = String(repeating: "a", count: 43)
            let first = try await code(h, verifier, cookie: session)
            let fields = [
                "grant_type": "authorization_code", "client_id": "test-client", "redirect_uri": Self.redirect,
                "code": first.code, "code_verifier": verifier,
            ]
            var wrongVerifier = fields
            wrongVerifier["code_verifier"] = String(repeating: "b", count: 43)
            let wrong = try await exchange(h, wrongVerifier)
            #expect(wrong.status == .badRequest)
            #expect(wrong.json["error"].string == "invalid_grant")
            #expect(wrong.json["error_description"].string == "The code_verifier does not match the code_challenge")
            // The code was spent by the failed attempt (GetAndRemoveState comes first).
            #expect(
                try await exchange(h, fields).json["error_description"].string
                    == "The authorization code is invalid or has expired")

            let second = try await code(h, verifier, cookie: first.cookie)
            var elsewhere = fields
            elsewhere["code"] = second.code
            elsewhere["redirect_uri"] = "http://app.example/other"
            let mismatch = try await exchange(h, elsewhere)
            #expect(
                mismatch.json["error_description"].string
                    == "redirect_uri does not match the one used in the authorization request")
            var noVerifier = fields
            noVerifier["code"] = try await code(h, verifier, cookie: second.cookie).code
            noVerifier["code_verifier"] = nil
            #expect(
                try await exchange(h, noVerifier).json["error_description"].string
                    == "code_verifier is required when code_challenge was used")

            // The session rolled over at each /authorize: the cookie of the last one.
            let reload = try await get(h, "/app/login", form: form)
            let third = try await code(h, verifier, cookie: try #require(reload.setCookie("cookie_session")))
            var good = fields
            good["code"] = third.code
            let tokens = try await exchange(h, good)
            #expect(tokens.status == .ok, "\(tokens.text)")
            #expect(tokens.json["token_type"].string == "Bearer")
            #expect(tokens.json["refresh_token"].string != nil, "offline_access was asked for")
            let access = try #require(tokens.json["access_token"].string)
            #expect(try await h.validate(access).json["data"]["validate_jwt_token"]["is_valid"].bool == true)
            #expect(try await exchange(h, good).json["error"].string == "invalid_grant", "a code works once")
        }
    }

    @Test func authorizeRefusesAsAuthorizerDoes() async throws {
        try await Harness.with(configure: { $0.allowedOrigins = ["http://app.example", "http://localhost"] }) { h in
            let foreign = try await get(h, "/authorize?response_type=code&redirect_uri=http://evil.example/cb&state=s")
            #expect(foreign.status == .badRequest && foreign.json["error_description"].string == "invalid redirect_uri")
            let noState = try await get(h, "/authorize?response_type=code&redirect_uri=\(Self.redirect)")
            #expect(noState.json["error_description"].string == "state parameter is required")
            let badMethod = try await get(
                h,
                "/authorize?response_type=code&redirect_uri=\(Self.redirect)&state=s&code_challenge=c&code_challenge_method=S512"
            )
            #expect(
                badMethod.json["error_description"].string
                    == "Supported code_challenge_method values are S256 and plain")
            let noType = try await get(h, "/authorize?redirect_uri=\(Self.redirect)&state=s")
            #expect(noType.status == .found)
            #expect(noType.headers[.location]?.contains("error=invalid_request") == true)
            let noVerifier = try await exchange(
                h, ["grant_type": "authorization_code", "client_id": "test-client", "code": "nope"])
            #expect(noVerifier.json["error"].string == "invalid_grant")
            let noClient = try await exchange(h, ["grant_type": "authorization_code", "code": "nope"])
            #expect(noClient.json["error_description"].string == "The client_id parameter is required")
            // A form posted from another site cannot plant a session on the hosted page.
            var forged = HTTPClientRequest(url: "http://127.0.0.1:\(h.port)/app/login")
            forged.method = .POST
            forged.headers.add(name: "Origin", value: "https://evil.example")
            forged.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            forged.body = .bytes(ByteBuffer(string: "q=&email=a%40b.co&password=x"))
            #expect(try await Self.browser.execute(forged, timeout: .seconds(5)).status == .forbidden)
            let grant = try await exchange(h, ["grant_type": "password"])
            #expect(grant.json["error"].string == "unsupported_grant_type")
        }
    }
}
