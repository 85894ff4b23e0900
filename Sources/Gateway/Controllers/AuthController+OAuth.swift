import AuthorizerClient
import Crypto
import ExtrasBase64
import Foundation
import HTTPTypes
import Hummingbird

/// "Sign in with Authorizer": the OpenID Connect authorization-code flow with PKCE (RFC 7636),
/// where a real deployment's social and enterprise logins live. The gateway makes the verifier
/// and state and keeps them in an `HttpOnly; SameSite=Strict` cookie scoped to `/auth/oauth` (no
/// script sees them); the web app sends the browser to Authorizer's `/authorize` with the
/// challenge, and hands the code back, which the gateway exchanges at `/oauth/token` with the
/// verifier before provisioning the user as for any login.
struct OAuthStartDTO: ResponseCodable {
    /// Where to send the browser: Authorizer's `/authorize` with every parameter.
    var authorizationURL: String
}

struct OAuthStartRequest: Decodable {
    /// Where Authorizer returns the browser with the code: the web app's own address.
    var redirectUri: String
    static let fields: Set<String> = ["redirectUri"]
}

struct CodeExchangeRequest: Decodable {
    var code: String
    var state: String
    var redirectUri: String
    static let fields: Set<String> = ["code", "state", "redirectUri"]
}

extension AuthController {
    static let pkceCookie = "platform_pkce"

    func addOAuthRoutes(to open: RouterGroup<GatewayRequestContext>) {
        open.post("/oauth/start") { request, context in try await startOAuth(request, context) }
        open.post("/oauth/token") { request, context in
            // The verifier's cookie is spent either way: a code is tried once.
            do {
                var response = try respond(try await exchangeCode(request, context), request, context)
                response.headers.append(HTTPField(name: .setCookie, value: pkceCookieHeader(nil)))
                return response
            } catch var problem as Problem {
                problem.headers[.setCookie] = pkceCookieHeader(nil)
                throw problem
            }
        }
    }

    func pkceCookieHeader(_ value: String?) -> String {
        "\(Self.pkceCookie)=\(value ?? ""); Path=/auth/oauth; Max-Age=\(value == nil ? 0 : 600); HttpOnly; "
            + "SameSite=Strict" + (cookieSecure ? "; Secure" : "")
    }

    static func randomURLSafe(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return Base64.encodeToString(
            bytes: (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) },
            options: [.base64UrlAlphabet, .omitPaddingCharacter])
    }

    /// `POST /auth/oauth/start`: a new verifier (256 bits) and state in the cookie, and the
    /// `/authorize` address with the S256 challenge, the client, the scope (`offline_access`, for
    /// the session cookie) and `redirectUri`.
    private func startOAuth(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        try checkSameOrigin(request)
        try await throttle.check(route: "oauth", ip: context.remoteIP, email: nil)
        let body = try await JSONBody.decode(OAuthStartRequest.self, from: request, allowed: OAuthStartRequest.fields)
        let redirect = try JSONBody.text(body.redirectUri, field: "redirectUri", max: 2000)
        guard let scheme = URLComponents(string: redirect)?.scheme, ["http", "https"].contains(scheme) else {
            throw Problem.badRequest("'redirectUri' must be an http or https address", field: "redirectUri")
        }
        let verifier = Self.randomURLSafe(32)
        let state = Self.randomURLSafe(16)
        let challenge = Base64.encodeToString(
            bytes: Array(SHA256.hash(data: Data(verifier.utf8))), options: [.base64UrlAlphabet, .omitPaddingCharacter])
        var url = URLComponents(string: (browserURL ?? client.configuration.url) + "/authorize")
        url?.queryItems = [
            URLQueryItem(name: "response_type", value: "code"),
            URLQueryItem(name: "client_id", value: client.configuration.clientID),
            URLQueryItem(name: "redirect_uri", value: redirect),
            URLQueryItem(name: "scope", value: Self.offlineScope.joined(separator: " ")),
            URLQueryItem(name: "state", value: state),
            URLQueryItem(name: "code_challenge", value: challenge),
            URLQueryItem(name: "code_challenge_method", value: "S256"),
        ]
        guard let address = url?.string else {
            throw Problem(.internalServerError, type: "internal", title: "Internal error")
        }
        var response = try OAuthStartDTO(authorizationURL: address).response(from: request, context: context)
        response.headers.append(HTTPField(name: .setCookie, value: pkceCookieHeader("\(state).\(verifier)")))
        return response
    }

    /// `POST /auth/oauth/token`: the code for tokens with the cookie's verifier, once its state
    /// matches; the user provisioned.
    private func exchangeCode(_ request: Request, _ context: GatewayRequestContext) async throws -> SessionDTO {
        try checkSameOrigin(request)
        try await throttle.check(route: "oauth", ip: context.remoteIP, email: nil)
        let body = try await JSONBody.decode(
            CodeExchangeRequest.self, from: request, allowed: CodeExchangeRequest.fields)
        let code = try JSONBody.text(body.code, field: "code", max: 200)
        let redirect = try JSONBody.text(body.redirectUri, field: "redirectUri", max: 2000)
        let saved = (request.cookies[Self.pkceCookie]?.value ?? "").split(separator: ".", maxSplits: 1).map(String.init)
        guard saved.count == 2, !body.state.isEmpty,
            Self.sameSecret(body.state, saved[0])
        else {
            var problem = Problem(
                .badRequest, type: "sign-in-not-started", title: "Sign-in not started here",
                detail: "this sign-in was not started in this browser, or took more than 10 minutes; start it again")
            problem.field = "state"
            throw problem
        }
        let tokens: AuthorizerTokenResponse
        let info: AuthorizerUserInfo
        do {
            tokens = try await client.exchangeCode(code, verifier: saved[1], redirectURI: redirect)
            info = try await client.profile(accessToken: tokens.accessToken)
        } catch AuthorizerClientError.invalidArgument(let description) {
            var problem = Problem(
                .badRequest, type: "invalid-grant", title: "Sign-in refused",
                detail: "Authorizer refused the sign-in code: \(description); start the sign-in again")
            problem.field = "code"
            throw problem
        } catch let error as AuthorizerClientError {
            throw Problem.from(error)
        }
        var answer = AuthorizerAuthResponse(message: "Logged in successfully", user: info)
        answer.accessToken = tokens.accessToken
        answer.idToken = tokens.idToken
        answer.refreshToken = tokens.refreshToken
        answer.expiresIn = tokens.expiresIn
        return try await completeSignIn(answer)
    }
}
