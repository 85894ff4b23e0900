import AuthorizerClient
import Foundation
import Hummingbird
import Logging
import PlatformDB
import SQLKit

/// `/auth/*`: signup and login through Authorizer, the session, and the profile.
struct AuthController: RouteAdding, Sendable {
    static let logger = Logger(label: "gateway.auth")
    let client: AuthorizerClient
    let users: UserStore
    let tenants: TenantStore
    let invitations: InvitationStore
    let intents: SignupIntentStore
    let authGuard: AuthGuard
    let loader: UserContextLoader
    let revocations: RevocationList
    let roles: RoleMapping
    let throttle: AuthThrottle
    let ownership: EmailOwnership

    init(auth: AuthServices, stores: Stores) {
        client = auth.client
        users = stores.users
        tenants = stores.tenants
        invitations = stores.invitations
        intents = stores.intents
        authGuard = auth.authGuard
        loader = auth.loader
        revocations = auth.revocations
        roles = auth.settings.roles
        throttle = auth.throttle
        ownership = auth.ownership
    }

    func addRoutes(to routes: RouteGroups) {
        let open = routes.open.group("/auth")
        open.post("/signup") { request, context -> Response in
            switch try await signup(request, context) {
            case .session(let session):
                try EditedResponse(status: .created, response: session).response(from: request, context: context)
            case .awaitingVerification(let message):
                try EditedResponse(status: .accepted, response: message).response(from: request, context: context)
            }
        }
        open.post("/login") { request, context in try await login(request, context) }
        open.post("/refresh") { request, _ in try await refresh(request) }
        open.post("/forgot-password") { request, context in try await forgotPassword(request, context) }
        open.post("/reset-password") { request, _ in try await resetPassword(request) }
        open.post("/verify-email") { request, _ in try await verifyEmail(request) }
        open.post("/verify") { request, _ in try await verify(request) }

        let mine = routes.account.group("/auth")
        mine.get("/me") { _, context in UserDTO(context.user) }
        mine.patch("/me") { request, context in try await updateProfile(request, context) }
        mine.post("/logout") { _, context in try await logout(context) }
    }

    /// A signup's outcome: a session, or Authorizer's email verification pending.
    enum SignupOutcome {
        case session(SessionDTO)
        case awaitingVerification(MessageDTO)
    }

    /// What the gateway says while Authorizer waits for the mailed link.
    static let checkYourEmail = "Check your email: open the link Authorizer sent to verify your address, then sign in."

    private func signup(_ request: Request, _ context: GatewayRequestContext) async throws -> SignupOutcome {
        try throttle.check(route: "signup", ip: context.remoteIP, email: nil)
        let body = try await JSONBody.decode(SignupRequest.self, from: request, allowed: SignupRequest.fields)
        let email = try JSONBody.text(body.email, field: "email")
        try throttle.check(route: "signup", ip: nil, email: email)
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
                familyName: try body.lastName.map { try JSONBody.text($0, field: "lastName", max: 100) })
        } catch let error as AuthorizerClientError {
            // 2.4 with MFA on answers "Proceed to mfa setup" and no token: the account exists, and
            // the company or invitation waits for the first sign-in through the gateway.
            if case .mfaRequired = error, let intent { try await recordIntent(intent, email: email) }
            throw Problem.from(error)
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
    private func awaitVerification(email: String, intent: SignupIntent?) async throws {
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

    private func recordIntent(_ intent: SignupIntent, email: String) async throws {
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

    private func login(_ request: Request, _ context: GatewayRequestContext) async throws -> SessionDTO {
        try throttle.check(route: "login", ip: context.remoteIP, email: nil)
        let body = try await JSONBody.decode(LoginRequest.self, from: request, allowed: LoginRequest.fields)
        let email = try JSONBody.text(body.email, field: "email")
        try throttle.check(route: "login", ip: nil, email: email)
        let scope = body.offlineAccess == true ? ["openid", "email", "profile", "offline_access"] : nil
        // Attempts per email and address stop here, before Authorizer's own lockout.
        let pair = FailedLoginLimiter.key(email: email, address: context.remoteIP)
        let reservation = throttle.failedLogins?.reserve(pair)
        if let after = reservation?.retryAfter {
            throw AuthThrottle.problem(after, "too many failed sign-ins for this email from this address")
        }
        let started = ContinuousClock.now
        let answer: AuthorizerAuthResponse
        do {
            answer = try await client.login(email: email, password: body.password, scope: scope)
        } catch let error as AuthorizerClientError {
            throw await loginFailure(error, pair: pair, slot: reservation?.slot, started: started)
        }
        if answer.accessToken == nil {
            // Not a wrong password: Authorizer answers an unverified address before checking it.
            if let slot = reservation?.slot { throttle.failedLogins?.release(pair, slot: slot) }
            throw Self.verificationPending(answer)
        }
        throttle.failedLogins?.succeeded(pair)
        let user = try await upsert(answer, loginAt: Date(), placing: true)
        loader.invalidate(authorizerID: user.authorizerID)
        var tenant: TenantRecord?
        if let tenantID = user.tenantID { tenant = try await database { try await tenants.find(id: tenantID) } }
        if let problem = UserContextLoader.UserContext(user: user, tenant: tenant).barred { throw problem }
        return session(answer, user)
    }

    /// A login Authorizer answered with no token and no MFA step: 2.4 mails a one-time code to
    /// an unverified address ("Please check email inbox for the OTP", `service/login.go`).
    static func verificationPending(_ answer: AuthorizerAuthResponse) -> Problem {
        Problem(
            .forbidden, type: "email-verification-required", title: "Email verification required",
            detail:
                "this address is not verified yet: open the link in the verification email, or use the one-time code Authorizer just sent (\(answer.message))"
        )
    }

    /// A failed sign-in, answered alike whether the email exists or not: the same status and body
    /// (Authorizer's "bad user credentials" and "user not found" both become one detail), held to
    /// the same floor of time (``ResponseFloor``).
    private func loginFailure(
        _ error: AuthorizerClientError, pair: String, slot: ContinuousClock.Instant?, started: ContinuousClock.Instant
    ) async -> Problem {
        let wrongCredentials =
            switch error {
            case .unauthenticated(let message): !message.lowercased().contains("verif")
            case .notFound: true
            default: false
            }
        switch error {
        case _ where wrongCredentials:
            await throttle.loginFloor.pad(since: started)
            return Problem(
                .unauthorized, type: "invalid-credentials", title: "Invalid credentials",
                detail: "the email or password is wrong")
        case .unauthenticated, .invalidArgument:
            // Judged by Authorizer (its slot is kept) and held to the same floor.
            await throttle.loginFloor.pad(since: started)
            return Problem.from(error)
        default:
            // Not judged (unreachable, rate-limited, an error of its own): the slot is given back.
            if let slot { throttle.failedLogins?.release(pair, slot: slot) }
            return Problem.from(error)
        }
    }

    /// What login and refresh both refuse: a user the platform suspended or Authorizer deleted.

    private func refresh(_ request: Request) async throws -> SessionDTO.Tokens {
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

    private func logout(_ context: AuthenticatedContext) async throws -> Response {
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

    private func updateProfile(_ request: Request, _ context: AuthenticatedContext) async throws -> UserDTO {
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

    private func forgotPassword(_ request: Request, _ context: GatewayRequestContext) async throws -> EditedResponse<
        MessageDTO
    > {
        try throttle.check(route: "forgot-password", ip: context.remoteIP, email: nil)
        let body = try await JSONBody.decode(EmailRequest.self, from: request, allowed: EmailRequest.fields)
        let email = try JSONBody.text(body.email, field: "email")
        try throttle.check(route: "forgot-password", ip: nil, email: email)
        // Every answer is held to one floor: a known email's mail being prepared took 1.2 ms longer.
        let started = ContinuousClock.now
        let message: String
        do {
            message = try await authorizer { try await client.forgotPassword(email: email) }
        } catch {
            await throttle.forgotPasswordFloor.pad(since: started)
            throw error
        }
        await throttle.forgotPasswordFloor.pad(since: started)
        return EditedResponse(status: .accepted, response: MessageDTO(message: message))
    }

    private func resetPassword(_ request: Request) async throws -> MessageDTO {
        let body = try await JSONBody.decode(
            ResetPasswordRequest.self, from: request, allowed: ResetPasswordRequest.fields)
        let message = try await authorizer {
            try await client.resetPassword(
                token: body.token, password: body.password, confirmPassword: body.confirmPassword)
        }
        return MessageDTO(message: message)
    }

    private func verifyEmail(_ request: Request) async throws -> SessionDTO {
        let body = try await JSONBody.decode(TokenRequest.self, from: request, allowed: TokenRequest.fields)
        let answer = try await authorizer { try await client.verifyEmail(token: body.token) }
        guard answer.accessToken != nil else { throw Self.verificationPending(answer) }
        let user = try await upsert(answer, loginAt: Date(), placing: true)
        loader.invalidate(authorizerID: user.authorizerID)
        return session(answer, user)
    }

    /// `POST /auth/verify` for other internal services: `{valid, user}`.
    private func verify(_ request: Request) async throws -> VerifyDTO {
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

    // MARK: Helpers

    /// Writes the user of Authorizer's answer, then `place`s it, in one transaction. Authorizer
    /// owns email uniqueness: another row holding the email is a stale copy, which
    /// ``EmailOwnership`` confirms with Authorizer and frees first.
    /// With `placing`, a user with no tenant yet takes the one its signup asked for while
    /// verification was pending (``SignupIntentStore``).
    private func upsert(
        _ answer: AuthorizerAuthResponse, loginAt: Date?, placing: Bool = false,
        then place: @Sendable (UserRecord, any SQLDatabase) async throws -> UserRecord = { user, _ in user }
    ) async throws -> UserRecord {
        guard let info = answer.user, let email = info.email else {
            throw Problem(
                .badGateway, type: "authorizer-error", title: "Identity provider error", detail: "no user in the answer"
            )
        }
        let verified = answer.accessToken != nil && info.emailVerified
        let profile = UserStore.AuthorizerProfile(
            authorizerID: info.id, email: email, firstName: info.givenName, lastName: info.familyName,
            status: verified ? .active : .pendingVerification,
            roleForNewUser: roles.role(
                email: email, emailVerified: info.emailVerified, authorizerID: info.id, authorizerRoles: info.roles))
        return try await database {
            try await users.database.transaction { [ownership] sql in
                var user = try await ownership.writing([(info.id, email)], on: sql) {
                    try await users.upsert(profile, loginAt: loginAt, now: Date(), on: sql)
                }
                if placing, user.tenantID == nil, user.role != .superAdmin,
                    let intent = try await intents.take(
                        email: email, userCreatedAt: info.createdAt, now: Date(), on: sql)
                {
                    // In a savepoint: an invitation revoked or expired while the address waited, or a
                    // company name taken meanwhile, leaves the user signed in without a tenant (who
                    // can then create one) rather than refused at every sign-in.
                    try await sql.raw("SAVEPOINT signup_intent").run()
                    do {
                        user = try await self.place(user, intent, on: sql)
                        try await sql.raw("RELEASE SAVEPOINT signup_intent").run()
                    } catch {
                        try await sql.raw("ROLLBACK TO SAVEPOINT signup_intent").run()
                        Self.logger.notice(
                            "a pending signup's company or invitation was refused",
                            metadata: ["error": "\(type(of: error))"])
                    }
                }
                return try await place(user, sql)
            }
        }
    }

    private func session(_ answer: AuthorizerAuthResponse, _ user: UserRecord) -> SessionDTO {
        SessionDTO(
            accessToken: answer.accessToken, refreshToken: answer.refreshToken, expiresIn: answer.expiresIn,
            expiresAt: answer.expiresIn.map { Date().addingTimeInterval(TimeInterval($0)) },
            message: answer.message, user: UserDTO(user))
    }

    private func authorizer<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as AuthorizerClientError {
            throw Problem.from(error)
        }
    }

    private func database<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PlatformDBError {
            throw Problem.from(error)
        }
    }
}
