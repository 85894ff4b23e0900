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
    let challenges: SignInChallengeStore
    let authGuard: AuthGuard
    let loader: UserContextLoader
    let revocations: RevocationList
    let roles: RoleMapping
    let throttle: AuthThrottle
    let ownership: EmailOwnership
    let cookieSecure: Bool
    let webAppURL: String?
    let browserURL: String?

    init(auth: AuthServices, stores: Stores) {
        client = auth.client
        users = stores.users
        tenants = stores.tenants
        invitations = stores.invitations
        intents = stores.intents
        challenges = stores.challenges
        authGuard = auth.authGuard
        loader = auth.loader
        revocations = auth.revocations
        roles = auth.settings.roles
        throttle = auth.throttle
        ownership = auth.ownership
        cookieSecure = auth.settings.sessionCookieSecure
        webAppURL = auth.settings.webAppURL
        browserURL = auth.settings.browserURL
    }

    func addRoutes(to routes: RouteGroups) {
        let open = routes.open.group("/auth")
        open.post("/signup") { request, context -> Response in
            switch try await signup(request, context) {
            case .session(let session): try respond(session, status: .created, request, context)
            case .awaitingVerification(let message):
                try EditedResponse(status: .accepted, response: message).response(from: request, context: context)
            case .challenge(let challenge):
                try EditedResponse(status: .accepted, response: challenge).response(from: request, context: context)
            }
        }
        open.post("/login") { request, context -> Response in
            switch try await login(request, context) {
            case .left(let session): try respond(session, request, context)
            case .right(let challenge):
                try EditedResponse(status: .accepted, response: challenge).response(from: request, context: context)
            }
        }
        open.post("/refresh") { request, _ in try await refresh(request) }
        open.post("/forgot-password") { request, context in try await forgotPassword(request, context) }
        open.post("/reset-password") { request, _ in try await resetPassword(request) }
        open.post("/verify-email") { request, context -> Response in
            switch try await verifyEmail(request) {
            case .left(let session): try respond(session, request, context)
            case .right(let challenge):
                try EditedResponse(status: .accepted, response: challenge).response(from: request, context: context)
            }
        }
        addMFARoutes(to: open)
        addSessionRoutes(to: open)
        addOAuthRoutes(to: open)
        addMagicLinkRoutes(to: open)
        open.post("/verify") { request, _ in try await verify(request) }

        let mine = routes.account.group("/auth")
        mine.get("/me") { _, context in UserDTO(context.user) }
        mine.patch("/me") { request, context in try await updateProfile(request, context) }
        mine.post("/logout") { _, context in try await logout(context) }
    }

    /// A session, or the second factor Authorizer asks for first.
    enum SignIn {
        case left(SessionDTO)
        case right(ChallengeDTO)
    }

    private func login(_ request: Request, _ context: GatewayRequestContext) async throws -> SignIn {
        let body = try await JSONBody.decode(LoginRequest.self, from: request, allowed: LoginRequest.fields)
        let email = try JSONBody.text(body.email, field: "email")
        try await throttle.check(route: "login", ip: context.remoteIP, email: email)
        let scope = body.offlineAccess == true || wantsCookie(request) ? Self.offlineScope : nil
        // Attempts per email and address stop here, before Authorizer's own lockout.
        let pair = FailedLoginLimiter.key(email: email, address: context.remoteIP)
        let reservation = throttle.failedLogins?.reserve(pair)
        if let after = reservation?.retryAfter {
            throw AuthThrottle.problem(after, "too many failed sign-ins for this email from this address")
        }
        let started = ContinuousClock.now
        let answer: AuthorizerAuthResponse
        // The spelling Authorizer accepted, for the second-factor steps that name the account.
        var address = email
        do {
            do {
                answer = try await client.login(email: email, password: body.password, scope: scope)
            } catch let error as AuthorizerClientError
                where Self.isWrongCredentials(error) && email != email.lowercased()
            {
                // 2.4 compares addresses exactly (`storage/db/sql/user.go`): an account signed up
                // here is lowercase (``signup(_:_:)``), one made elsewhere may be as typed.
                address = email.lowercased()
                answer = try await client.login(email: address, password: body.password, scope: scope)
            }
        } catch let error as AuthorizerClientError {
            throw await loginFailure(error, pair: pair, slot: reservation?.slot, started: started)
        }
        if answer.accessToken == nil {
            // Not a wrong password: Authorizer answers an unverified address before checking it,
            // and asks for a second factor after it.
            if let slot = reservation?.slot { throttle.failedLogins?.release(pair, slot: slot) }
            if answer.isMFAStep { return .right(try await challenge(answer, email: address)) }
            throw Self.verificationPending(answer)
        }
        throttle.failedLogins?.succeeded(pair)
        return .left(try await completeSignIn(answer))
    }

    /// A login or verification Authorizer answered with no token and no step to take (2.4's
    /// mailed code to an unverified address is an `email-code` step, ``challenge(_:email:)``).
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
        let wrongCredentials = Self.isWrongCredentials(error)
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

    /// Authorizer's "invalid credentials" or "user not found": the email or the password is wrong.
    static func isWrongCredentials(_ error: AuthorizerClientError) -> Bool {
        switch error {
        case .unauthenticated(let message): !message.lowercased().contains("verif")
        case .notFound: true
        default: false
        }
    }

    /// What login and refresh both refuse: a user the platform suspended or Authorizer deleted.

    // MARK: Helpers

    /// Writes the user of Authorizer's answer, then `place`s it, in one transaction. Authorizer
    /// owns email uniqueness: another row holding the email is a stale copy, which
    /// ``EmailOwnership`` confirms with Authorizer and frees first.
    /// With `placing`, a user with no tenant yet takes the one its signup asked for while
    /// verification was pending (``SignupIntentStore``).
    func upsert(
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

    func session(_ answer: AuthorizerAuthResponse, _ user: UserRecord) -> SessionDTO {
        SessionDTO(
            accessToken: answer.accessToken, refreshToken: answer.refreshToken, expiresIn: answer.expiresIn,
            expiresAt: answer.expiresIn.map { Date().addingTimeInterval(TimeInterval($0)) },
            message: answer.message, user: UserDTO(user))
    }

    func authorizer<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as AuthorizerClientError {
            throw Problem.from(error)
        }
    }

    func database<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PlatformDBError {
            throw Problem.from(error)
        }
    }
}
