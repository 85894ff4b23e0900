import AuthorizerClient
import Crypto
import ExtrasBase64
import Foundation
import HTTPTypes
import Hummingbird

/// The web app's session (backend for frontend): the refresh token lives in an `HttpOnly;
/// SameSite=Strict` cookie scoped to `/auth/session`, which scripts cannot read; access tokens
/// stay in the page's memory. A reload or a new tab asks `POST /auth/session` for a fresh access
/// token. Same-origin requests only: the `Origin` must be the gateway's own, and the custom
/// header ``sessionHeader`` must be present (a cross-site form cannot send it).
extension AuthController {
    static let sessionCookie = "platform_session"
    static let sessionPath = "/auth/session"
    /// `X-Platform-Session: cookie`: on sign-in routes, asks for the refresh token as the cookie
    /// instead of in the body; on `/auth/session`, required (CSRF).
    static let sessionHeader = HTTPField.Name("X-Platform-Session")!

    static let offlineScope = ["openid", "email", "profile", "offline_access"]

    /// Whether two secrets (a state, a verifier) are equal, compared by their SHA-256 digests,
    /// whose comparison takes the same time wherever they differ.
    static func sameSecret(_ given: String, _ expected: String) -> Bool {
        SHA256.hash(data: Data(given.utf8)) == SHA256.hash(data: Data(expected.utf8))
    }

    func wantsCookie(_ request: Request) -> Bool { request.headers[Self.sessionHeader] == "cookie" }

    /// A session answer: in cookie mode the refresh token moves from the body to the cookie.
    func respond(
        _ session: SessionDTO, status: HTTPResponse.Status = .ok, _ request: Request, _ context: GatewayRequestContext
    ) throws -> Response {
        var body = session
        var cookie: String?
        if wantsCookie(request), let refresh = session.refreshToken {
            body.refreshToken = nil
            cookie = sessionCookieHeader(refresh)
        }
        var response = try EditedResponse(status: status, response: body).response(from: request, context: context)
        if let cookie { response.headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return response
    }

    /// The `Set-Cookie` value for `refreshToken` (nil clears it). It lives as long as the token:
    /// its `exp` claim, read unverified, since Authorizer checks the token itself on use.
    func sessionCookieHeader(_ refreshToken: String?) -> String {
        let maxAge = refreshToken.map { Self.secondsLeft($0) ?? 30 * 86_400 } ?? 0
        return "\(Self.sessionCookie)=\(refreshToken ?? ""); Path=\(Self.sessionPath); Max-Age=\(maxAge); HttpOnly; "
            + "SameSite=Strict" + (cookieSecure ? "; Secure" : "")
    }

    static func secondsLeft(_ jwt: String, now: Date = Date()) -> Int? {
        let parts = jwt.split(separator: ".")
        guard parts.count == 3,
            let payload = try? Base64.decode(
                string: String(parts[1]), options: [.base64UrlAlphabet, .omitPaddingCharacter]),
            let claims = try? JSONDecoder().decode([String: JSONValue].self, from: Data(payload)),
            let exp = claims["exp"]?.int
        else { return nil }
        return max(0, Int(exp) - Int(now.timeIntervalSince1970))
    }

    func addSessionRoutes(to open: RouterGroup<GatewayRequestContext>) {
        open.post("/session") { request, context in try await resumeSession(request, context) }
        open.delete("/session") { request, context in try await endSession(request, context) }
    }

    /// Refuses a request to the session routes that is not the web app's own (CSRF).
    func checkSameOrigin(_ request: Request) throws {
        guard wantsCookie(request) else {
            throw Problem(
                .forbidden, type: "csrf-refused", title: "Request refused",
                detail: "the session routes need the header X-Platform-Session: cookie")
        }
        guard let origin = request.headers[.origin], let host = request.head.authority,
            let parts = URLComponents(string: origin), let originHost = parts.host,
            originHost + (parts.port.map { ":\($0)" } ?? "") == host
        else {
            throw Problem(
                .forbidden, type: "csrf-refused", title: "Request refused",
                detail: "the session routes answer only pages of this gateway's own origin")
        }
    }

    /// `POST /auth/session`: a fresh access token (and user) for the cookie's session; the refresh
    /// token rotates and the cookie with it. 401 `no-session` without a usable cookie.
    private func resumeSession(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        try checkSameOrigin(request)
        guard let token = request.cookies[Self.sessionCookie]?.value, !token.isEmpty else {
            throw Self.noSession
        }
        let tokens: AuthorizerTokenResponse
        do {
            tokens = try await client.refresh(token)
        } catch AuthorizerClientError.unauthenticated {
            var problem = Self.noSession
            problem.headers = [.setCookie: sessionCookieHeader(nil)]
            throw problem
        } catch let error as AuthorizerClientError {
            throw Problem.from(error)
        }
        let identity: Identity
        do {
            identity = try await authGuard.identity(for: tokens.accessToken)
        } catch let refusal as AuthGuard.Refusal {
            throw Problem.unauthenticated("the refreshed token was refused: \(refusal.reason)")
        }
        let loaded = try await loader.context(for: identity)
        if let problem = loaded.barred { throw problem }
        let session = SessionDTO(
            accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresIn: tokens.expiresIn,
            expiresAt: tokens.expiresIn.map { Date().addingTimeInterval(TimeInterval($0)) }, message: "",
            user: UserDTO(loaded.user))
        return try respond(session, request, context)
    }

    static let noSession = Problem(
        .unauthorized, type: "no-session", title: "Not signed in", detail: "no session in this browser: sign in")

    /// `DELETE /auth/session`: the cookie's session ends at Authorizer and the cookie is cleared.
    private func endSession(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        try checkSameOrigin(request)
        if let token = request.cookies[Self.sessionCookie]?.value, !token.isEmpty {
            do {
                try await client.revoke(refreshToken: token)
            } catch let error as AuthorizerClientError {
                // The cookie goes all the same: this browser is signed out even if Authorizer
                // could not be told (the token then lives until it expires).
                var problem = Problem.from(error)
                problem.headers[.setCookie] = sessionCookieHeader(nil)
                throw problem
            }
        }
        return Response(status: .noContent, headers: [.setCookie: sessionCookieHeader(nil)])
    }
}
