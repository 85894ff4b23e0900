import AuthorizerClient
import Foundation
import Hummingbird
import Logging
import PlatformDB
import SQLKit

extension AuthController {
    /// A signup's outcome: a session, or Authorizer's email verification pending.
    enum SignupOutcome {
        case session(SessionDTO)
        case awaitingVerification(MessageDTO)
        case challenge(ChallengeDTO)
    }

    /// What the gateway says while Authorizer waits for the mailed link.
    static let checkYourEmail = "Check your email: open the link Authorizer sent to verify your address, then sign in."

    func signup(_ request: Request, _ context: GatewayRequestContext) async throws -> SignupOutcome {
        let body = try await JSONBody.decode(SignupRequest.self, from: request, allowed: SignupRequest.fields)
        // Lowercased: Authorizer 2.4 keeps an address as signed up and compares it exactly
        // (`service/signup.go`, `storage/db/sql/user.go`), while its magic link and resent
        // verification lowercase theirs; accounts made here are lowercase, and login retries so.
        let email = try JSONBody.text(body.email, field: "email").lowercased()
        try await throttle.check(route: "signup", ip: context.remoteIP, email: email)
        let clientName = try body.clientName.map { try JSONBody.text($0, field: "clientName", max: 200) }
        if body.invitationToken != nil, clientName != nil {
            throw Problem.badRequest(
                "give either 'clientName' or 'invitationToken', not both", field: "invitationToken")
        }
        // A platform operator never belongs to a tenant; refused before the account is made.
        if roles.listsEmail(email), body.invitationToken != nil || clientName != nil {
            throw Problem(
                .conflict, type: "platform-operator", title: "Platform operator",
                detail:
                    "this address is a platform operator's, which joins no tenant; sign up without a company or invitation"
            )
        }
        // A bad invitation is refused before the account is made at Authorizer.
        if let token = body.invitationToken, let refusal = try await invitations.check(token: token, email: email) {
            throw InvitationController.problem(refusal)
        }
        let intent: SignupIntent? =
            if let clientName { .createTenant(name: clientName) } else {
                body.invitationToken.map { .acceptInvitation(tokenHash: SignupIntentStore.invitationHash($0)) }
            }
        let answer: AuthorizerAuthResponse
        do {
            answer = try await client.signup(
                email: email, password: body.password, confirmPassword: body.confirmPassword,
                givenName: try body.firstName.map { try JSONBody.text($0, field: "firstName", max: 100) },
                familyName: try body.lastName.map { try JSONBody.text($0, field: "lastName", max: 100) },
                scope: wantsCookie(request) ? Self.offlineScope : nil)
        } catch let error as AuthorizerClientError {
            throw Problem.passwordRefusal(error) ?? Problem.from(error)
        }
        if answer.isMFAStep {
            // 2.4 with MFA on answers "Proceed to mfa setup" and no token: the account exists, and
            // the company or invitation waits for the sign-in that the second factor completes.
            if let intent { try await recordIntent(intent, email: email) }
            return .challenge(try await challenge(answer, email: email))
        }
        if answer.isAwaitingVerification {
            try await awaitVerification(email: email, intent: intent)
            return .awaitingVerification(MessageDTO(message: Self.checkYourEmail))
        }
        // Authorizer's webhook may come late or never: the row is made now, idempotently with it,
        // and placed in its tenant in the same transaction, so that an email a stale row held
        // (freed by EmailOwnership) cannot cost the signup its company.
        let user = try await upsert(answer, loginAt: nil) { user, sql in
            try await place(user, intent, on: sql)
        }
        loader.invalidate(authorizerID: user.authorizerID)
        return .session(session(answer, user))
    }

    /// Signup with email verification on: Authorizer 2.4 answers with a message only, for a new
    /// address and a taken one alike (`service/signup.go`). With the admin secret the new user is
    /// read from `_user` and written now, pending verification, and placed in the company or
    /// invitation it asked for; a verified user there means the address was taken, and nothing is
    /// written. Without the secret (or while `_user` fails) the intent is kept, and the user's
    /// first sign-in places them; the webhook makes the row meanwhile.
    func awaitVerification(email: String, intent: SignupIntent?) async throws {
        if client.configuration.adminSecret != nil, let info = try? await client.user(email: email) {
            // Only the user this signup made is written and placed: an address taken before, even
            // unverified, is left as it is (anyone can post a signup for anyone's address).
            guard !info.emailVerified, Self.madeNow(info) else { return }
            let answer = AuthorizerAuthResponse(message: "", user: info)
            let user = try await upsert(answer, loginAt: nil) { user, sql in
                user.tenantID == nil ? try await place(user, intent, on: sql) : user
            }
            loader.invalidate(authorizerID: user.authorizerID)
            return
        }
        if let intent { try await recordIntent(intent, email: email) }
    }

    /// Whether Authorizer created `info` within ``SignupIntentStore/binding`` of now.
    static func madeNow(_ info: AuthorizerUserInfo, now: Date = Date()) -> Bool {
        guard let created = info.createdAt else { return false }
        return abs(now.timeIntervalSince1970 - TimeInterval(created)) <= SignupIntentStore.binding
    }

    func recordIntent(_ intent: SignupIntent, email: String) async throws {
        try await database {
            try await users.database.transaction { sql in
                try await intents.record(intent, email: email, now: Date(), on: sql)
            }
        }
    }

    /// Puts `user` in the tenant `intent` asks for: a new one it owns, or the inviting one.
    func place(_ user: UserRecord, _ intent: SignupIntent?, on sql: any SQLDatabase) async throws -> UserRecord {
        switch intent {
        case .createTenant(let name)?:
            return try await tenants.createTenant(
                name: name, ownerAuthorizerID: user.authorizerID, now: Date(), on: sql)
        case .acceptInvitation(let hash)?:
            switch try await invitations.accept(tokenHash: hash, for: user, now: Date(), on: sql) {
            case .success(let joined): return joined
            case .failure(let refusal): throw InvitationController.problem(refusal)
            }
        case nil:
            return user
        }
    }
}
