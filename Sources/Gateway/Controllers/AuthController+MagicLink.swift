import AuthorizerClient
import Foundation
import HTTPTypes
import Hummingbird

/// What the sign-in forms may offer, from Authorizer's `meta`.
struct AuthOptionsDTO: ResponseCodable {
    var signup: Bool
    var magicLink: Bool
    /// Whether new passwords need an upper and a lower case letter, a digit and a symbol
    /// (`--enable-strong-password`); 6 to 36 characters either way.
    var strongPassword: Bool
    var emailVerification: Bool
}

struct MagicLinkRequest: Decodable {
    var email: String
    static let fields: Set<String> = ["email"]
}

struct LinkTokensRequest: Decodable {
    var accessToken: String
    var refreshToken: String?
    /// The `state` the link came back with: the one this browser's request set in its cookie.
    var state: String
    static let fields: Set<String> = ["accessToken", "refreshToken", "state"]
}

/// Sign-in by a mailed link (`magic_link_login`, `service/magic_link_login.go`). The link opens
/// Authorizer's `GET /verify_email`, which sends the browser back to the web app with the tokens
/// in the address (`http_handlers/verify_email.go`); the web app hands them here at once and
/// clears the address. The gateway checks them (the access token as any bearer token; the refresh
/// token by rotating it at Authorizer) and provisions the user as at login. The link is bound to
/// the browser that asked for it: a state in an `HttpOnly; SameSite=Strict` cookie scoped to
/// `/auth/magic-link` must come back with it, so a link crafted elsewhere cannot sign a victim's
/// browser into another account.
extension AuthController {
    static let linkCookie = "platform_link"

    func linkCookieHeader(_ state: String?) -> String {
        "\(Self.linkCookie)=\(state ?? ""); Path=/auth/magic-link; Max-Age=\(state == nil ? 0 : 1800); HttpOnly; "
            + "SameSite=Strict" + (cookieSecure ? "; Secure" : "")
    }

    func addMagicLinkRoutes(to open: RouterGroup<GatewayRequestContext>) {
        open.get("/options") { _, context in
            try await throttle.check(route: "options", ip: context.remoteIP, email: nil)
            let meta = try await authorizer { try await client.meta() }
            return AuthOptionsDTO(
                signup: meta.isSignUpEnabled, magicLink: meta.isMagicLinkLoginEnabled,
                strongPassword: meta.isStrongPasswordEnabled, emailVerification: meta.isEmailVerificationEnabled)
        }
        open.post("/magic-link") { request, context in try await sendMagicLink(request, context) }
        open.post("/magic-link/complete") { request, context in
            do {
                var response = try respond(try await completeLink(request, context), request, context)
                response.headers.append(HTTPField(name: .setCookie, value: linkCookieHeader(nil)))
                return response
            } catch var problem as Problem {
                problem.headers[.setCookie] = linkCookieHeader(nil)
                throw problem
            }
        }
    }

    /// `POST /auth/magic-link`: one answer whether or not the address has an account.
    private func sendMagicLink(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        try checkSameOrigin(request)
        let body = try await JSONBody.decode(MagicLinkRequest.self, from: request, allowed: MagicLinkRequest.fields)
        let email = try JSONBody.text(body.email, field: "email")
        try await throttle.check(route: "magic-link", ip: context.remoteIP, email: email)
        let started = ContinuousClock.now
        let state = Self.randomURLSafe(16)
        do {
            _ = try await client.magicLinkLogin(
                email: email, redirectURI: webAppURL.map { $0 + "/" }, scope: Self.offlineScope, state: state)
        } catch AuthorizerClientError.invalidArgument(let message) where message.contains("signup is disabled") {
            // An unknown address where signup is off: answered as any other, so no one learns who
            // has an account.
        } catch AuthorizerClientError.invalidArgument("invalid redirect URI") {
            await throttle.mailFloor.pad(since: started)
            throw Self.webAppURLRefused
        } catch let error as AuthorizerClientError {
            await throttle.mailFloor.pad(since: started)
            throw Problem.from(error)
        }
        await throttle.mailFloor.pad(since: started)
        var response = try EditedResponse(
            status: .accepted,
            response: MessageDTO(
                message: "If the address has an account, a sign-in link is on its way: open it in this browser.")
        ).response(from: request, context: context)
        response.headers.append(HTTPField(name: .setCookie, value: linkCookieHeader(state)))
        return response
    }

    /// `POST /auth/magic-link/complete`: the tokens of a followed link, for a session.
    private func completeLink(_ request: Request, _ context: GatewayRequestContext) async throws -> SessionDTO {
        try checkSameOrigin(request)
        try await throttle.check(route: "magic-link", ip: context.remoteIP, email: nil)
        let body = try await JSONBody.decode(LinkTokensRequest.self, from: request, allowed: LinkTokensRequest.fields)
        let given = try JSONBody.text(body.accessToken, field: "accessToken", max: 8192)
        guard let expected = request.cookies[Self.linkCookie]?.value, !expected.isEmpty, !body.state.isEmpty,
            Self.sameSecret(body.state, expected)
        else {
            var problem = Problem(
                .badRequest, type: "sign-in-not-started", title: "Sign-in not started here",
                detail:
                    "this sign-in link was asked for in another browser, or more than 30 minutes ago; ask for a new one here"
            )
            problem.field = "state"
            throw problem
        }
        let identity: Identity
        do {
            identity = try await authGuard.identity(for: given)
        } catch let refusal as AuthGuard.Refusal {
            throw Problem.unauthenticated("the link's token was refused: \(refusal.reason)")
        }
        var answer = AuthorizerAuthResponse(message: "Logged in successfully", user: nil)
        answer.accessToken = given
        answer.expiresIn = max(1, Int64(identity.token.expiresAt.timeIntervalSinceNow))
        if let refresh = body.refreshToken, !refresh.isEmpty {
            // Rotated at Authorizer: proves it, and keeps the copy in the address unusable.
            let tokens = try await authorizer { try await client.refresh(refresh) }
            let rotated: Identity
            do {
                rotated = try await authGuard.identity(for: tokens.accessToken)
            } catch let refusal as AuthGuard.Refusal {
                throw Problem.unauthenticated("the link's refresh token was refused: \(refusal.reason)")
            }
            guard rotated.token.subject == identity.token.subject else {
                throw Problem.badRequest("the two tokens are not the same user's", field: "refreshToken")
            }
            answer.accessToken = tokens.accessToken
            answer.refreshToken = tokens.refreshToken
            answer.expiresIn = tokens.expiresIn
        }
        answer.user = try await authorizer { try await client.profile(accessToken: answer.accessToken ?? given) }
        return try await completeSignIn(answer)
    }
}
