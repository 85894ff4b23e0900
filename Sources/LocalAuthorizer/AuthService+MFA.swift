import Crypto
import Foundation
import Logging
import PlatformDB

/// Multi-factor sign-in as Authorizer 2.4 runs it (`internal/service/mfa_gate.go`, `login.go`,
/// `otp_mfa_setup.go`, `verify_otp.go`, `skip_mfa_setup.go`, `lock_mfa.go`, `resend_otp.go`).
extension AuthService {
    /// What a sign-in that proved the password meets (`resolveMFAGate`, first match wins).
    enum MFAGate: Equatable {
        /// MFA off: tokens at once.
        case none
        /// A verified TOTP: a code is asked for.
        case verify
        /// MFA enforced and no factor: enrolment, no skipping.
        case enrol
        /// The user skipped setup before: tokens at once.
        case skipped
        /// Optional MFA and no factor yet: enrolment offered, skipping allowed.
        case offer
    }

    /// An MFA session lives 3 minutes at a gate, 1 minute beside a mailed code.
    static let mfaGateLifetime: Int64 = 180
    static let mailedCodeLifetime: Int64 = 60
    /// The mailed code's alphabet (`internal/utils/generate_otp.go`): no 0, O, I or 1 lookalikes.
    static let otpAlphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ123456789")

    func mfaGate(for user: AuthorizerUser) async throws -> MFAGate {
        guard configuration.enableMFA else { return .none }
        let authenticators = try await store.authenticators(userID: user.id)
        if authenticators.contains(where: { $0.method == "totp" && $0.verifiedAt != nil }) { return .verify }
        if configuration.enforcesMFA { return .enrol }
        if try await store.mfaMarks(userID: user.id).skippedAt != nil { return .skipped }
        return .offer
    }

    /// The MFA step after a proven password or link, or nil when tokens may be issued now
    /// (`login.go`: the MFA lock, then an enrolled email OTP, then the gate).
    func mfaStep(for user: AuthorizerUser, scope: [String]?) async throws -> AuthResult? {
        if try await store.mfaMarks(userID: user.id).lockedAt != nil {
            throw AuthorizerError(
                message:
                    "your account's multi-factor authentication is locked; contact your administrator to regain access",
                code: .failedPrecondition)
        }
        let scope = scope ?? ["openid", "email", "profile"]
        let authenticators = try await store.authenticators(userID: user.id)
        if configuration.enableMFA, configuration.enableEmailOTP,
            authenticators.contains(where: { $0.method == "email_otp" && $0.verifiedAt != nil })
        {
            try await mailCode(to: user)
            var result = AuthResult(message: "Please check email inbox for the OTP", showEmailOTPScreen: true)
            result.mfaCookie = try await store.createMFASession(
                MFASession(userID: user.id, purpose: "verified", scope: scope),
                expiresAt: now + Self.mailedCodeLifetime)
            result.mfaCookieLifetime = Self.mailedCodeLifetime
            await webhooks.fire("user.login", user: user)
            return result
        }
        let gate = try await mfaGate(for: user)
        guard gate == .verify || gate == .enrol || gate == .offer else { return nil }
        var result: AuthResult
        if gate == .verify {
            result = AuthResult(message: "Proceed to mfa verification")
            result.showTOTPScreen = configuration.enableTOTP ? true : nil
        } else {
            result = AuthResult(message: "Proceed to mfa setup")
            result.offerWebauthnSetup = configuration.enableWebauthnMFA
            result.offerEmailOTPSetup = configuration.enableEmailOTP
            result.offerSMSOTPSetup = false
            if configuration.enableTOTP { try await enrolTOTP(user, into: &result) }
        }
        result.mfaCookie = try await store.createMFASession(
            MFASession(userID: user.id, purpose: "verified", scope: scope), expiresAt: now + Self.mfaGateLifetime)
        result.mfaCookieLifetime = Self.mfaGateLifetime
        return result
    }

    /// A fresh, unverified TOTP enrolment: a new secret with its scanner image (a PNG of the key
    /// URI, plain base64) and 10 recovery codes (UUIDs, stored as SHA-256 hashes). A verified
    /// enrolment keeps working until a code of the new secret proves it.
    func enrolTOTP(_ user: AuthorizerUser, into result: inout AuthResult) async throws {
        let secret = TOTP.newSecret()
        let codes = (0..<10).map { _ in UUID().uuidString.lowercased() }
        let existing = try await store.authenticators(userID: user.id).first { $0.method == "totp" }
        var authenticator =
            existing ?? Authenticator(method: "totp", secret: nil, pendingSecret: nil, recoveryCodeHashes: [])
        if authenticator.verifiedAt == nil {
            authenticator.secret = secret
            authenticator.recoveryCodeHashes = codes.map(AuthorizerStore.hash)
        } else {
            // totp.go: the new secret and its codes wait for a code of their own; the proven
            // secret and its recovery codes keep working meanwhile.
            authenticator.pendingSecret = secret
            authenticator.pendingRecoveryCodeHashes = codes.map(AuthorizerStore.hash)
        }
        try await store.save(authenticator, userID: user.id)
        result.showTOTPScreen = true
        result.authenticatorSecret = secret
        result.recoveryCodes = codes
        result.scannerImage = try QRCode.png(for: TOTP.keyURI(secret: secret, account: user.email))
            .base64EncodedString()
    }

    /// Mails a one-time code (1 minute) to `user`, replacing any earlier one.
    func mailCode(to user: AuthorizerUser) async throws {
        var generator = SystemRandomNumberGenerator()
        let code = String((0..<6).map { _ in Self.otpAlphabet.randomElement(using: &generator)! })
        try await store.setOTP(
            userID: user.id, codeHash: Self.otpHash(code, userID: user.id), expiresAt: now + Self.mailedCodeLifetime)
        try await store.addToOutbox(
            OutboxMessage(
                id: OutboxMessage.newID(), recipient: user.email, kind: "email_otp", link: "", code: code,
                createdAt: now))
        var metadata: Logger.Metadata = ["kind": "email_otp", "user_id": "\(user.id)"]
        if configuration.logMailLinks { metadata["code"] = "\(code)" }
        logger.notice("mail queued; read it at GET /_dev/outbox", metadata: metadata)
    }

    static func otpHash(_ code: String, userID: String) -> String {
        AuthorizerStore.hash("\(userID):\(code.uppercased())")
    }

    /// The user behind an MFA cookie: the session must be live and of one of `purposes`; with an
    /// email, the session must be that user's. Nil when not.
    func mfaCaller(cookie: String?, email: String?, purposes: Set<String>) async throws
        -> (MFASession, AuthorizerUser)?
    {
        guard let cookie, !cookie.isEmpty, let session = try await store.mfaSession(cookie: cookie, now: now),
            purposes.contains(session.purpose), let user = try await store.user(id: session.userID)
        else { return nil }
        if let email, !email.isEmpty, user.email != email.trimmingCharacters(in: .whitespacesAndNewlines) {
            return nil
        }
        return (session, user)
    }

    static let invalidSession = AuthorizerError(message: "invalid session", code: .unauthenticated)

    /// `verify_otp`: a TOTP code (or, failing that, a recovery code, each once) with `isTOTP`,
    /// else the mailed code. Codes are tried at most 5 times in 15 minutes; a TOTP code is spent
    /// for 90 s (no replay within its window of ±1 step). Success ends the MFA session and issues
    /// the tokens with `user.login` (and `user.signup` when this proved the address).
    func verifyOTP(cookie: String?, email: String?, otp: String, isTOTP: Bool) async throws -> AuthResult {
        guard
            let (session, caller) = try await mfaCaller(
                cookie: cookie, email: email, purposes: ["verified", "challenge"])
        else { throw Self.invalidSession }
        if (email ?? "").isEmpty, session.purpose != "verified" { throw Self.invalidSession }
        var user = caller
        guard user.revokedTimestamp == nil else { throw AuthorizerError.invalid("invalid verification request") }
        // verify_otp.go counts the attempt before it looks at the code (parallel guesses cannot
        // all slip under the limit) and clears the count on success.
        try await store.recordOTPAttempt(userID: user.id, at: now)
        guard try await store.otpAttempts(userID: user.id, since: now - Self.lockoutWindow) <= Self.lockoutAttempts
        else {
            throw AuthorizerError(message: "too many failed attempts, please try again later", code: .tooManyRequests)
        }
        var provedAddress = false
        if isTOTP {
            guard try await checkTOTP(otp, user: user) else { throw AuthorizerError.invalid("invalid otp") }
        } else {
            guard let stored = try await store.otp(userID: user.id) else {
                throw AuthorizerError(message: "OTP not found", code: .notFound)
            }
            let hash = Self.otpHash(otp.trimmingCharacters(in: .whitespaces), userID: user.id)
            guard stored.codeHash == hash else { throw AuthorizerError.invalid("invalid otp") }
            guard stored.expiresAt > now else { throw AuthorizerError.invalid("otp expired") }
            guard try await store.spendOTP(userID: user.id, codeHash: hash) else {
                throw AuthorizerError(message: "OTP not found", code: .notFound)
            }
            if var pending = try await store.authenticators(userID: user.id).first(where: { $0.method == "email_otp" }),
                pending.verifiedAt == nil
            {
                pending.verifiedAt = now
                try await store.save(pending, userID: user.id)
            }
            if user.emailVerifiedAt == nil {
                user.emailVerifiedAt = now
                user.updatedAt = now
                try await store.update(user)
                provedAddress = true
            }
        }
        guard let cookie, try await store.endMFASession(cookie: cookie) else { throw Self.invalidSession }
        try await store.clearOTPAttempts(userID: user.id)
        return try await finishSignIn(
            user, scope: session.scope, message: "OTP verified successfully.", provedAddress: provedAddress)
    }

    /// Tokens for a sign-in the user has finished: a session with the default roles they hold,
    /// then `user.signup` when this step proved the address, and `user.login`
    /// (`verify_otp.go`, `verify_email.go`, `skip_mfa_setup.go`).
    func finishSignIn(_ user: AuthorizerUser, scope: [String]?, message: String, provedAddress: Bool = false)
        async throws -> AuthResult
    {
        let result = try await startSession(
            for: user, roles: configuration.defaultRoles.filter(user.roles.contains), scope: scope, message: message)
        if provedAddress { await webhooks.fire("user.signup", user: user) }
        await webhooks.fire("user.login", user: user)
        return result
    }

    /// A TOTP code of the enrolment (its pending secret first), claimed once; else a recovery code.
    private func checkTOTP(_ otp: String, user: AuthorizerUser) async throws -> Bool {
        let code = otp.trimmingCharacters(in: .whitespaces)
        guard var totp = try await store.authenticators(userID: user.id).first(where: { $0.method == "totp" }) else {
            return false
        }
        for secret in [totp.pendingSecret, totp.secret].compactMap({ $0 }) {
            guard TOTP.matchingStep(code, secret: secret, time: now) != nil else { continue }
            let key = AuthorizerStore.hash("\(user.id):\(code)")
            guard try await store.claimSpentCode(key, now: now, expiresAt: now + 90) else { return false }
            if secret == totp.pendingSecret {
                totp.secret = secret
                totp.pendingSecret = nil
                totp.recoveryCodeHashes = totp.pendingRecoveryCodeHashes ?? totp.recoveryCodeHashes
                totp.pendingRecoveryCodeHashes = nil
            }
            totp.verifiedAt = totp.verifiedAt ?? now
            try await store.save(totp, userID: user.id)
            return true
        }
        return try await store.spendRecoveryCode(userID: user.id, hash: AuthorizerStore.hash(code.lowercased()))
    }

    /// `totp_mfa_setup` and `email_otp_mfa_setup`: for a signed-in user (bearer token) or the
    /// MFA cookie of a proven password. The session is re-armed for 3 minutes.
    func mfaSetup(method: String, bearer: String?, cookie: String?, email: String?) async throws -> AuthResult {
        guard method == "totp" ? configuration.enableTOTP : configuration.enableEmailOTP else {
            throw AuthorizerError(
                message: method == "totp"
                    ? "authenticator app MFA is not available on this server"
                    : "email OTP is not available on this server",
                code: .failedPrecondition)
        }
        let user: AuthorizerUser
        var scope = ["openid", "email", "profile"]
        if let bearer, !bearer.isEmpty {
            user = try await profile(accessToken: bearer)
        } else if let (session, caller) = try await mfaCaller(cookie: cookie, email: email, purposes: ["verified"]) {
            user = caller
            scope = session.scope
        } else {
            throw AuthorizerError.unauthorized
        }
        var result: AuthResult
        if method == "totp" {
            result = AuthResult(message: "Proceed to totp verification screen")
            try await enrolTOTP(user, into: &result)
        } else {
            let existing = try await store.authenticators(userID: user.id).first { $0.method == "email_otp" }
            if existing?.verifiedAt == nil {
                try await store.save(
                    Authenticator(method: "email_otp", recoveryCodeHashes: [], verifiedAt: nil), userID: user.id)
            }
            try await mailCode(to: user)
            result = AuthResult(message: "Check your email for the verification code")
        }
        result.mfaCookie = try await store.createMFASession(
            MFASession(userID: user.id, purpose: "verified", scope: scope), expiresAt: now + Self.mfaGateLifetime)
        result.mfaCookieLifetime = Self.mfaGateLifetime
        return result
    }

    /// `skip_mfa_setup`: only where setup is offered, not enforced, and no factor is enrolled.
    func skipMFASetup(cookie: String?, email: String?) async throws -> AuthResult {
        if let email, !email.isEmpty,
            try await store.user(email: email.trimmingCharacters(in: .whitespacesAndNewlines)) == nil
        {
            throw AuthorizerError.invalid("invalid request")
        }
        guard let (session, user) = try await mfaCaller(cookie: cookie, email: email, purposes: ["verified"]) else {
            throw Self.invalidSession
        }
        guard try await mfaGate(for: user) == .offer else {
            throw AuthorizerError(message: "cannot skip multi factor authentication setup", code: .failedPrecondition)
        }
        let marks = try await store.mfaMarks(userID: user.id)
        try await store.setMFAMarks(userID: user.id, skippedAt: now, lockedAt: marks.lockedAt)
        guard let cookie, try await store.endMFASession(cookie: cookie) else { throw Self.invalidSession }
        return try await finishSignIn(user, scope: session.scope, message: "MFA setup skipped")
    }

    /// `lock_mfa`: the user, unable to give a code, locks their own MFA (an admin unlocks it).
    func lockMFA(cookie: String?, email: String?) async throws -> String {
        guard let (_, user) = try await mfaCaller(cookie: cookie, email: email, purposes: ["verified"]) else {
            throw Self.invalidSession
        }
        if try await store.authenticators(userID: user.id).contains(where: {
            $0.method == "email_otp" && $0.verifiedAt != nil
        }) {
            throw AuthorizerError(
                message: "a verified email or SMS OTP fallback is available — use it instead of locking your account",
                code: .failedPrecondition)
        }
        let marks = try await store.mfaMarks(userID: user.id)
        try await store.setMFAMarks(userID: user.id, skippedAt: marks.skippedAt, lockedAt: now)
        if let cookie { _ = try await store.endMFASession(cookie: cookie) }
        return "Your account is locked. Contact your administrator to regain access."
    }

    /// `resend_otp` for an email: a new code and a `challenge` session, while one was mailed.
    func resendOTP(email: String?) async throws -> AuthResult {
        // Spaces trimmed, then lowercased (`service/resend_otp.go`: strings.Trim(…, " ")).
        let email = (email ?? "").trimmingCharacters(in: CharacterSet(charactersIn: " ")).lowercased()
        guard !email.isEmpty else { throw AuthorizerError.invalid("email or phone number is required") }
        guard let user = try await store.user(email: email), user.revokedTimestamp == nil else {
            return AuthResult(message: "If an account exists, an OTP has been sent")
        }
        // resend_otp.go refuses a user whose own MFA flag is off only when both the email and the
        // phone are verified; no phone is ever verified here.
        guard configuration.enableMFA else {
            throw AuthorizerError(
                message: "multi factor authentication is disabled for this instance", code: .failedPrecondition)
        }
        guard try await store.otp(userID: user.id) != nil else {
            throw AuthorizerError(message: "failed to get otp for given email", code: nil)
        }
        try await mailCode(to: user)
        var result = AuthResult(message: "OTP has been sent. Please check your inbox")
        result.mfaCookie = try await store.createMFASession(
            MFASession(userID: user.id, purpose: "challenge", scope: ["openid", "email", "profile"]),
            expiresAt: now + Self.mailedCodeLifetime)
        result.mfaCookieLifetime = Self.mailedCodeLifetime
        await webhooks.fire("user.login", user: user)
        return result
    }

    /// The one answer of `magic_link_login`, whether or not a link went out.
    static let magicLinkSent =
        "If an account exists for this email, a magic link has been sent. Please check your inbox. If you don't receive it within a few minutes, double-check the email address for typos."

    /// `magic_link_login` (`service/magic_link_login.go`): an unknown address becomes a user
    /// (`user.created`); a link valid 30 minutes is mailed while email verification is on.
    func magicLinkLogin(email: String?, redirectURI: String?, state: String?, scope: [String]? = nil) async throws
        -> String
    {
        guard configuration.enableMagicLinkLogin else {
            throw AuthorizerError(message: "magic link login is disabled for this instance", code: .failedPrecondition)
        }
        let email = (email ?? "").lowercased()  // lowercased, not trimmed (`service/magic_link_login.go`)
        guard Self.isEmail(email) else { throw AuthorizerError.invalid("invalid email address") }
        try checkRedirect(redirectURI)
        var user = try await store.user(email: email)
        if user == nil {
            guard configuration.enableSignup else {
                throw AuthorizerError(message: "signup is disabled for this instance", code: .failedPrecondition)
            }
            var made = AuthorizerUser(
                id: UUID().uuidString.lowercased(), email: email, passwordHash: nil, roles: configuration.defaultRoles,
                now: now)
            made.signupMethods = "magic_link_login"
            try await store.insert(made)
            await webhooks.fire("user.created", user: made)
            user = made
        }
        guard let user, user.revokedTimestamp == nil, configuration.enableEmailVerification else {
            return Self.magicLinkSent
        }
        var target = redirectURI.flatMap { $0.isEmpty ? nil : $0 } ?? configuration.issuer + "/app"
        if let state, !state.isEmpty { target += (target.contains("?") ? "&" : "?") + "state=\(state)" }
        try await sendMail(
            to: user, kind: "magic_link_login", path: "/verify_email", lifetime: Self.verificationLifetime,
            redirectURI: target, scope: scope)
        return Self.magicLinkSent
    }
}
