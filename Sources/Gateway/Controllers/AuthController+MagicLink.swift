import AuthorizerClient
import Foundation
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
    static let fields: Set<String> = ["accessToken", "refreshToken"]
}

/// Sign-in by a mailed link (`magic_link_login`, `service/magic_link_login.go`). The link opens
/// Authorizer's `GET /verify_email`, which sends the browser back to the web app with the tokens
/// in the address (`http_handlers/verify_email.go`); the web app hands them here at once and
/// clears the address. The gateway checks them (the access token as any bearer token; the refresh
/// token by rotating it at Authorizer) and provisions the user as at login.
extension AuthController {
    func addMagicLinkRoutes(to open: RouterGroup<GatewayRequestContext>) {
        open.get("/options") { _, _ in
            let meta = try await authorizer { try await client.meta() }
            return AuthOptionsDTO(
                signup: meta.isSignUpEnabled, magicLink: meta.isMagicLinkLoginEnabled,
                strongPassword: meta.isStrongPasswordEnabled, emailVerification: meta.isEmailVerificationEnabled)
        }
        open.post("/magic-link") { request, context in try await sendMagicLink(request, context) }
        open.post("/magic-link/complete") { request, context in
            try respond(try await completeLink(request, context), request, context)
        }
    }

    /// `POST /auth/magic-link`: one answer whether or not the address has an account.
    private func sendMagicLink(_ request: Request, _ context: GatewayRequestContext) async throws -> EditedResponse<
        MessageDTO
    > {
        try throttle.check(route: "magic-link", ip: context.remoteIP, email: nil)
        let body = try await JSONBody.decode(MagicLinkRequest.self, from: request, allowed: MagicLinkRequest.fields)
        let email = try JSONBody.text(body.email, field: "email")
        try throttle.check(route: "magic-link", ip: nil, email: email)
        let started = ContinuousClock.now
        do {
            _ = try await client.magicLinkLogin(
                email: email, redirectURI: webAppURL.map { $0 + "/" }, scope: Self.offlineScope)
        } catch let error as AuthorizerClientError {
            await throttle.forgotPasswordFloor.pad(since: started)
            throw Problem.from(error)
        }
        await throttle.forgotPasswordFloor.pad(since: started)
        return EditedResponse(
            status: .accepted,
            response: MessageDTO(
                message: "If the address has an account, a sign-in link is on its way: open it in this browser."))
    }

    /// `POST /auth/magic-link/complete`: the tokens of a followed link, for a session.
    private func completeLink(_ request: Request, _ context: GatewayRequestContext) async throws -> SessionDTO {
        try checkSameOrigin(request)
        try throttle.check(route: "magic-link", ip: context.remoteIP, email: nil)
        let body = try await JSONBody.decode(LinkTokensRequest.self, from: request, allowed: LinkTokensRequest.fields)
        let given = try JSONBody.text(body.accessToken, field: "accessToken", max: 8192)
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
