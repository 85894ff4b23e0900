import AuthorizerClient
import Foundation
import Hummingbird
import Logging
import PlatformDB
import SQLKit

extension AuthController {
    func refresh(_ request: Request) async throws -> SessionDTO.Tokens {
        let body = try await JSONBody.decode(RefreshRequest.self, from: request, allowed: RefreshRequest.fields)
        let tokens = try await authorizer { try await client.refresh(body.refreshToken) }
        // Refresh refuses what login refuses (a suspended user's refresh once answered 200):
        // the new token's user is looked up before the tokens are handed out.
        let identity: Identity
        do {
            identity = try await authGuard.identity(for: tokens.accessToken)
        } catch let refusal as AuthGuard.Refusal {
            throw Problem.unauthenticated("the refreshed token was refused: \(refusal.reason)")
        }
        if let problem = try await loader.context(for: identity).barred { throw problem }
        return SessionDTO.Tokens(
            accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresIn: tokens.expiresIn)
    }

    func logout(_ context: AuthenticatedContext) async throws -> Response {
        do {
            try await client.logout(accessToken: context.identity.accessToken)
        } catch AuthorizerClientError.unauthenticated {
            // Already ended at Authorizer; the gateway refuses the token all the same.
        } catch let error as AuthorizerClientError {
            throw Problem.from(error)
        }
        if let session = context.identity.token.sessionID {
            revocations.revoke(session: session, until: context.identity.token.expiresAt)
        }
        return Response(status: .noContent)
    }

    func updateProfile(_ request: Request, _ context: AuthenticatedContext) async throws -> UserDTO {
        let body = try await JSONBody.decode(ProfilePatch.self, from: request, allowed: ProfilePatch.fields)
        let firstName =
            try body.firstName.map { try JSONBody.text($0, field: "firstName", max: 100) } ?? context.user.firstName
        let lastName =
            try body.lastName.map { try JSONBody.text($0, field: "lastName", max: 100) } ?? context.user.lastName
        // Nothing changes: no call, since Authorizer refuses an update with no field
        // ("please enter at least one param to update", service/update_profile.go).
        if firstName == context.user.firstName, lastName == context.user.lastName { return UserDTO(context.user) }
        try await authorizer {
            try await client.updateProfile(
                accessToken: context.identity.accessToken, givenName: firstName, familyName: lastName)
        }
        let updated = try await database {
            try await users.updateNames(
                authorizerID: context.user.authorizerID, firstName: firstName, lastName: lastName)
        }
        loader.invalidate(authorizerID: context.user.authorizerID)
        return UserDTO(updated ?? context.user)
    }

    func forgotPassword(_ request: Request, _ context: GatewayRequestContext) async throws -> EditedResponse<
        MessageDTO
    > {
        let body = try await JSONBody.decode(EmailRequest.self, from: request, allowed: EmailRequest.fields)
        let email = try JSONBody.text(body.email, field: "email")
        try await throttle.check(route: "forgot-password", ip: context.remoteIP, email: email)
        // Every answer is held to one floor: a known email's mail being prepared took 1.2 ms longer.
        let started = ContinuousClock.now
        var message = ""
        do {
            do {
                // As typed, and lowercased when that differs: 2.4 compares addresses exactly, and
                // accounts signed up here are lowercase (``signup(_:_:)``).
                let redirect = webAppURL.map { $0 + "/#/reset-password" }
                message = try await client.forgotPassword(email: email, redirectURI: redirect)
                // The second spelling's answer is the same sentence; its failure (a 429) must not
                // hide that the first was taken.
                if email != email.lowercased() {
                    _ = try? await client.forgotPassword(email: email.lowercased(), redirectURI: redirect)
                }
            } catch AuthorizerClientError.invalidArgument("invalid redirect URI") {
                throw Self.webAppURLRefused
            } catch let error as AuthorizerClientError {
                throw Problem.from(error)
            }
        } catch {
            await throttle.mailFloor.pad(since: started)
            throw error
        }
        await throttle.mailFloor.pad(since: started)
        return EditedResponse(status: .accepted, response: MessageDTO(message: message))
    }

    /// Authorizer refused the web app's address in a mailed link (`validators/url.go`): a setting
    /// to change, not the user's fault.
    static let webAppURLRefused = Problem(
        .badGateway, type: "authorizer-configuration", title: "Identity provider misconfigured",
        detail:
            "Authorizer refuses the web app's address (--web-app-url) in its links: add that origin to Authorizer's --allowed-origins"
    )

    func resetPassword(_ request: Request) async throws -> MessageDTO {
        let body = try await JSONBody.decode(
            ResetPasswordRequest.self, from: request, allowed: ResetPasswordRequest.fields)
        let message: String
        do {
            message = try await client.resetPassword(
                token: body.token, password: body.password, confirmPassword: body.confirmPassword)
        } catch let error as AuthorizerClientError {
            throw Problem.passwordRefusal(error) ?? Problem.from(error)
        }
        return MessageDTO(message: message)
    }

    /// A verification or magic link's token: a session, or the second factor asked for first
    /// (2.4 runs the MFA gate after verifying, and the link stays usable until tokens are issued).
    func verifyEmail(_ request: Request) async throws -> SignIn {
        let body = try await JSONBody.decode(TokenRequest.self, from: request, allowed: TokenRequest.fields)
        let answer = try await authorizer { try await client.verifyEmail(token: body.token) }
        if answer.isMFAStep { return .right(try await challenge(answer, email: answer.user?.email ?? "")) }
        guard answer.accessToken != nil else { throw Self.verificationPending(answer) }
        return .left(try await completeSignIn(answer))
    }

    /// `POST /auth/verify` for other internal services: `{valid, user}`.
    func verify(_ request: Request) async throws -> VerifyDTO {
        let body = try await JSONBody.decode(TokenRequest.self, from: request, allowed: TokenRequest.fields)
        do {
            let identity = try await authGuard.identity(for: body.token)
            let loaded = try await loader.context(for: identity)
            let user = loaded.user
            // What every signed-in route refuses, this refuses too (a suspended tenant included).
            if loaded.tenant?.status == .suspended {
                return VerifyDTO(valid: false, user: nil, reason: "tenant_suspended")
            }
            guard user.status == .active else {
                return VerifyDTO(valid: false, user: nil, reason: "user_\(user.status.rawValue.lowercased())")
            }
            return VerifyDTO(valid: true, user: UserDTO(user), reason: nil)
        } catch let refusal as AuthGuard.Refusal {
            return VerifyDTO(valid: false, user: nil, reason: refusal.reason)
        }
    }
}
