import AuthorizerClient
import Foundation
import HummingbirdBcrypt
import Logging
import NIOPosix
import PlatformDB

/// The user-facing operations: signup, login, sessions and token checks.
struct AuthService: Sendable {
    let configuration: AuthorizerConfiguration
    let store: AuthorizerStore
    let tokens: TokenService
    let webhooks: WebhookDispatcher
    let logger: Logger
    /// Refresh-token lineages, for reuse detection (shared by every copy of this service).
    let families = RefreshFamilies()

    static let lockoutWindow: Int64 = 15 * 60
    static let lockoutAttempts = 5

    var now: Int64 { Int64(Date().timeIntervalSince1970) }

    struct Signup: Sendable {
        var email: String?
        var password: String
        var confirmPassword: String
        var names: [String: String]
        var roles: [String]?
        var scope: [String]?
    }

    /// The answer of signup, login and session: a message, and tokens unless something is pending.
    struct AuthResult: Sendable {
        var message: String
        var accessToken: String?
        var idToken: String?
        var refreshToken: String?
        var expiresIn: Int64?
        var user: AuthorizerUser?
        /// The browser session cookie's value, set on the response when present.
        var sessionCookie: String?
        /// `should_show_email_otp_screen`: a one-time code was mailed (login of an unverified user).
        var showEmailOTPScreen: Bool?
        /// The session's roles and scope (`/oauth/token` returns them).
        var roles: [String]?
        var scope: [String]?
        /// The MFA step's flags and enrolment (`AuthResponse`, `service/login.go`).
        var showTOTPScreen: Bool?
        var offerWebauthnSetup: Bool?
        var offerEmailOTPSetup: Bool?
        var offerSMSOTPSetup: Bool?
        var scannerImage: String?
        var authenticatorSecret: String?
        var recoveryCodes: [String]?
        /// The `mfa_session` cookie's value and lifetime (seconds), set on the response when present.
        var mfaCookie: String?
        var mfaCookieLifetime: Int64 = 0
    }

    /// Signup's answer while email verification is on, for a new address and a taken one alike
    /// (`service/signup.go`, 2.4.0).
    static let verificationSent = "Verification email has been sent. Please check your inbox"

    /// `signup` as 2.4 answers it with MFA off (`service/signup.go`): `user.created` then
    /// `user.signup` at creation; with verification on, only a message (also for a taken address,
    /// which fires nothing); otherwise a session with an access token and no id token, and
    /// `user.login` on its own.
    func signup(_ request: Signup) async throws -> AuthResult {
        // Trimmed, not lowercased: 2.4 keeps the address as typed (`service/signup.go`).
        let email = (request.email ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !email.isEmpty else { throw AuthorizerError.invalid("email or phone number is required") }
        guard configuration.enableSignup else {
            throw AuthorizerError(message: "signup is disabled for this instance", code: .failedPrecondition)
        }
        guard request.password == request.confirmPassword else { throw AuthorizerError.passwordMismatch }
        try PasswordPolicy.check(request.password, strong: configuration.enableStrongPassword)
        guard Self.isEmail(email) else { throw AuthorizerError.invalid("invalid email address") }
        let roles = try signupRoles(request.roles)

        let hash = try await hashPassword(request.password)
        var user = AuthorizerUser(
            id: UUID().uuidString.lowercased(), email: email, passwordHash: hash, roles: roles, now: now)
        user.givenName = request.names["given_name"]
        user.familyName = request.names["family_name"]
        user.middleName = request.names["middle_name"]
        user.nickname = request.names["nickname"]
        user.gender = request.names["gender"]
        user.birthdate = request.names["birthdate"]
        user.phoneNumber = request.names["phone_number"]
        user.picture = request.names["picture"]
        if !configuration.enableEmailVerification { user.emailVerifiedAt = now }
        do {
            try await store.insert(user)
        } catch PlatformDBError.alreadyExists {
            // The unique email makes concurrent signups race safely: exactly one insert wins.
            if configuration.enableEmailVerification { return AuthResult(message: Self.verificationSent) }
            throw AuthorizerError.signupFailed
        }
        logger.info("user signed up", metadata: ["user_id": "\(user.id)"])
        await webhooks.fire("user.created", user: user)
        await webhooks.fire("user.signup", user: user)
        guard !configuration.enableEmailVerification else {
            try await sendMail(
                to: user, kind: "verify_email", path: "/verify_email", lifetime: Self.verificationLifetime)
            return AuthResult(message: Self.verificationSent)
        }
        // With MFA on, the new user meets the gate as at login: no token yet, and no user.login.
        if let step = try await mfaStep(for: user, scope: request.scope) { return step }
        var result = try await startSession(
            for: user, roles: roles, scope: request.scope, message: "Signed up successfully.")
        result.idToken = nil
        await webhooks.fire("user.login", user: user)
        return result
    }

    /// A signup's verification link lives 30 minutes (`service/signup.go`).
    static let verificationLifetime: Int64 = 30 * 60

    /// `login` (`service/login.go`): an unverified address is answered before the password is
    /// checked: `invalid credentials` while its signup link is unexpired, else a one-time code
    /// by mail, `user.login`, and "Please check email inbox for the OTP" with no token.
    func login(email: String?, password: String, roles: [String]?, scope: [String]?) async throws -> AuthResult {
        // As typed, not even trimmed (`service/login.go`): another case is another address.
        let email = email ?? ""
        guard let user = try await store.user(email: email), let hash = user.passwordHash else {
            throw AuthorizerError.invalidCredentials
        }
        // A revoked user is refused before anything else is looked at (login.go).
        guard user.revokedTimestamp == nil else { throw AuthorizerError.invalidCredentials }
        if user.emailVerifiedAt == nil {
            guard try await !store.hasLiveVerification(userID: user.id, kind: "verify_email", now: now) else {
                throw AuthorizerError.invalidCredentials
            }
            try await mailCode(to: user)
            var result = AuthResult(message: "Please check email inbox for the OTP", showEmailOTPScreen: true)
            result.mfaCookie = try await store.createMFASession(
                MFASession(userID: user.id, purpose: "verified", scope: scope ?? ["openid", "email", "profile"]),
                expiresAt: now + Self.mailedCodeLifetime)
            result.mfaCookieLifetime = Self.mailedCodeLifetime
            await webhooks.fire("user.login", user: user)
            return result
        }
        let since = now - Self.lockoutWindow
        guard try await store.failedLogins(userID: user.id, since: since) < Self.lockoutAttempts else {
            throw AuthorizerError.tooManyAttempts
        }
        guard try await verifyPassword(password, hash: hash) else {
            try await store.recordFailedLogin(userID: user.id, at: now)
            throw AuthorizerError.invalidCredentials
        }
        let active = roles ?? configuration.defaultRoles.filter(user.roles.contains)
        guard Set(active).isSubset(of: user.roles) else { throw AuthorizerError.invalidCredentials }
        try await store.clearFailedLogins(userID: user.id)
        if let step = try await mfaStep(for: user, scope: scope) { return step }
        let result = try await startSession(for: user, roles: active, scope: scope, message: "Logged in successfully")
        await webhooks.fire("user.login", user: user)
        return result
    }

    /// Ends the session of a valid access token.
    func logout(accessToken: String?) async throws {
        let (claims, _) = try await authenticate(accessToken)
        if let nonce = claims["nonce"]?.string { try await store.deleteSession(nonce: nonce) }
    }

    /// The user behind a valid access token whose session is live.
    func profile(accessToken: String?) async throws -> AuthorizerUser {
        try await authenticate(accessToken).user
    }

    // MARK: Internals

    /// Creates a session (with a browser cookie, and a refresh token when `offline_access` is
    /// in the scope) and mints its tokens.
    func startSession(for user: AuthorizerUser, roles: [String], scope: [String]?, message: String) async throws
        -> AuthResult
    {
        let scope = scope ?? ["openid", "email", "profile"]
        let cookie = AuthorizerStore.randomToken()
        let refreshID = scope.contains("offline_access") ? UUID().uuidString.lowercased() : nil
        let session = AuthorizerStore.Session(
            nonce: UUID().uuidString.lowercased(), userID: user.id, roles: roles, scope: scope,
            loginMethod: "basic_auth",
            expiresAt: now
                + max(configuration.accessTokenExpiresIn, refreshID == nil ? 0 : configuration.refreshTokenExpiresIn),
            cookieHash: AuthorizerStore.hash(cookie), refreshID: refreshID)
        try await store.createSession(session, now: now)
        var result = try await mint(session, user: user, message: message)
        result.sessionCookie = cookie
        return result
    }

    /// Access and id tokens for `session` (and its refresh token, if it has one).
    func mint(_ session: AuthorizerStore.Session, user: AuthorizerUser, message: String) async throws -> AuthResult {
        let issuedAt = now
        let common: [String: JSONValue] = [
            "iss": .string(configuration.issuer), "aud": .string(configuration.clientID), "sub": .string(user.id),
            "iat": .int(issuedAt), "exp": .int(issuedAt + configuration.accessTokenExpiresIn),
            "nonce": .string(session.nonce), "login_method": .string(session.loginMethod),
            "allowed_roles": .array(user.roles.map(JSONValue.string)),
        ]
        var access = common
        access["token_type"] = .string("access_token")
        access["scope"] = .array(session.scope.map(JSONValue.string))
        access["roles"] = .array(session.roles.map(JSONValue.string))
        var id = common.merging(user.identityValue.filter { $0.key != "roles" && $0.key != "id" }) { current, _ in
            current
        }
        id["token_type"] = .string("id_token")
        id[configuration.jwtRoleClaim] = .array(session.roles.map(JSONValue.string))
        var refreshToken: String?
        if let refreshID = session.refreshID {
            var refresh = common
            refresh["token_type"] = .string("refresh_token")
            refresh["exp"] = .int(issuedAt + configuration.refreshTokenExpiresIn)
            refresh["jti"] = .string(refreshID)
            refresh["family_id"] = .string(
                families.family(ofSession: session.nonce, now: now, lifetime: configuration.refreshTokenExpiresIn))
            refresh["scope"] = .array(session.scope.map(JSONValue.string))
            refresh["roles"] = .array(session.roles.map(JSONValue.string))
            refreshToken = try await tokens.sign(refresh)
        }
        return AuthResult(
            message: message,
            accessToken: try await tokens.sign(access),
            idToken: try await tokens.sign(id),
            refreshToken: refreshToken,
            expiresIn: configuration.accessTokenExpiresIn,
            user: user,
            roles: session.roles,
            scope: session.scope
        )
    }

    private func signupRoles(_ requested: [String]?) throws -> [String] {
        guard let requested, !requested.isEmpty else { return configuration.defaultRoles }
        guard requested.allSatisfy({ configuration.roles.contains($0) && !configuration.protectedRoles.contains($0) })
        else {
            throw AuthorizerError.invalid("invalid roles")
        }
        return requested
    }

    /// bcrypt is deliberately slow, so it runs off the event loops.
    func hashPassword(_ password: String) async throws -> String {
        let cost = configuration.bcryptCost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verifyPassword(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
            && !parts[1].hasSuffix(".") && text.count <= 254 && !text.contains(" ")
    }
}
