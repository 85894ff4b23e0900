import Foundation
import GraphQL
import Logging
import PlatformDB

/// Email verification, password reset, profile changes and deactivation.
extension AuthService {
    /// "Sends" a link: there is no SMTP here, so it goes to the outbox that `GET /_dev/outbox`
    /// shows with the admin secret. The log says a mail was queued, never its link (the token in
    /// it is a credential).
    /// With `redirectURI`, the link is Authorizer's: the reset link is the redirect URI itself
    /// with `?token=` (`utils.GetForgotPasswordURL`), a verification or magic link is
    /// `<host>/verify_email?token=…&redirect_uri=…` (`utils.GetEmailVerificationURL`).
    func sendMail(
        to user: AuthorizerUser, kind: String, path: String, lifetime: Int64, redirectURI: String? = nil,
        scope: [String]? = nil
    ) async throws {
        let token = try await store.makeVerification(
            kind: kind, userID: user.id, expiresAt: now + lifetime, scope: scope)
        let link =
            switch (kind, redirectURI) {
            case ("forgot_password", let target?): "\(target)\(target.contains("?") ? "&" : "?")token=\(token)"
            case (_, let target?): "\(configuration.issuer)\(path)?token=\(token)&redirect_uri=\(target)"
            case (_, nil): "\(configuration.issuer)\(path)?token=\(token)"
            }
        try await store.addToOutbox(
            OutboxMessage(
                id: OutboxMessage.newID(), recipient: user.email, kind: kind, link: link, code: nil,
                createdAt: now))
        var metadata: Logger.Metadata = ["kind": "\(kind)", "user_id": "\(user.id)"]
        if configuration.logMailLinks { metadata["link"] = "\(link)" }
        logger.notice("mail queued; read it at GET /_dev/outbox", metadata: metadata)
    }

    /// `verify_email` (`service/verify_email.go`): a signup's or a magic link's token. The address
    /// is verified, then the MFA gate runs as at login; while it withholds the tokens the link stays
    /// usable, and once tokens are issued it is spent. A session starts (scope `openid email
    /// profile`, so no refresh token), and `user.signup` then `user.login` fire on a first
    /// verification, `user.login` alone otherwise.
    func verifyEmail(token: String) async throws -> AuthResult {
        var kind = "verify_email"
        var request = try await store.verificationUser(token, kind: kind, now: now)
        if request == nil {
            kind = "magic_link_login"
            request = try await store.verificationUser(token, kind: kind, now: now)
        }
        guard let request, var user = try await store.user(id: request.id) else {
            throw AuthorizerError.invalid("invalid verification token")
        }
        guard user.revokedTimestamp == nil else {
            throw AuthorizerError(message: "user access has been revoked", code: .failedPrecondition)
        }
        let firstVerification = user.emailVerifiedAt == nil
        if firstVerification {
            user.emailVerifiedAt = now
            user.updatedAt = now
            try await store.update(user)
        }
        if let step = try await mfaStep(for: user, scope: request.scope) { return step }
        guard try await store.consumeVerification(token, kind: kind, now: now) != nil else {
            throw AuthorizerError.invalid("invalid verification token")
        }
        return try await finishSignIn(
            user, scope: request.scope, message: "Email verified successfully.", provedAddress: firstVerification)
    }

    func resendVerifyEmail(email: String) async throws {
        // Lowercased (`service/resend_verify_email.go`), so an address signed up in capitals gets none.
        guard let user = try await store.user(email: email.lowercased()), user.emailVerifiedAt == nil else {
            throw AuthorizerError.invalid("invalid email address or already verified")
        }
        try await sendMail(to: user, kind: "verify_email", path: "/verify_email", lifetime: Self.verificationLifetime)
    }

    /// Always the same answer, so it does not tell who has an account.
    func forgotPassword(email: String?, redirectURI: String? = nil) async throws {
        try checkRedirect(redirectURI)
        guard let email, let user = try await store.user(email: email), user.revokedTimestamp == nil else { return }
        try await sendMail(
            to: user, kind: "forgot_password", path: "/app/reset-password", lifetime: 1800,
            redirectURI: redirectURI ?? "\(configuration.issuer)/app/reset-password")
    }

    /// `invalid redirect URI` unless ``RedirectURIPolicy`` allows `redirectURI` (`forgot_password.go`).
    func checkRedirect(_ redirectURI: String?) throws {
        guard let redirectURI, !redirectURI.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        guard
            RedirectURIPolicy.isValid(
                redirectURI, allowedOrigins: configuration.allowedOrigins, serverURL: configuration.issuer)
        else { throw AuthorizerError.invalid("invalid redirect URI") }
    }

    /// Sets a new password from a reset token and ends every session of the user.
    func resetPassword(token: String, password: String, confirmPassword: String) async throws {
        guard password == confirmPassword else { throw AuthorizerError.passwordMismatch }
        try PasswordPolicy.check(password, strong: configuration.enableStrongPassword)
        guard let userID = try await store.consumeVerification(token, kind: "forgot_password", now: now),
            var user = try await store.user(id: userID)
        else { throw AuthorizerError.invalid("invalid token") }
        user.passwordHash = try await hashPassword(password)
        user.emailVerifiedAt = user.emailVerifiedAt ?? now  // the link proved the address
        user.updatedAt = now
        try await store.update(user)
        try await store.deleteSessions(userID: user.id)
        try await store.clearFailedLogins(userID: user.id)
    }

    /// The fields `update_profile` takes; with none of them given, it refuses
    /// (`service/update_profile.go`).
    static let profileFields = [
        "given_name", "family_name", "picture", "middle_name", "nickname", "old_password", "email", "birthdate",
        "gender",
        "phone_number", "new_password", "confirm_new_password", "is_multi_factor_auth_enabled", "app_data",
    ]

    /// `update_profile`: names and other fields, and a password change that needs the old one.
    func updateProfile(accessToken: String?, _ params: Map) async throws {
        var user = try await authenticate(accessToken).user
        guard Self.profileFields.contains(where: { !params[$0].isUndefined && params[$0] != .null }) else {
            throw AuthorizerError.invalid("please enter at least one param to update")
        }
        try user.applyProfile(params)
        // A password change, checked in `service/update_profile.go`'s order and words; a user
        // without a password (signed up by link) sets one without the old.
        switch (params["new_password"].string, params["confirm_new_password"].string) {
        case (nil, nil): break
        case (_?, nil): throw AuthorizerError.invalid("confirm password is required")
        case (nil, _?): throw AuthorizerError.invalid("new password is required")
        case (let newPassword?, let confirm?):
            if let hash = user.passwordHash, !hash.isEmpty {
                guard let old = params["old_password"].string else {
                    throw AuthorizerError.invalid("old password is required")
                }
                guard try await verifyPassword(old, hash: hash) else {
                    throw AuthorizerError.invalid("incorrect old password")
                }
            }
            guard confirm == newPassword else { throw AuthorizerError.passwordMismatch }
            try PasswordPolicy.check(newPassword, strong: configuration.enableStrongPassword)
            user.passwordHash = try await hashPassword(newPassword)
        }
        user.updatedAt = now
        try await store.saveProfile(user)
    }

    /// `deactivate_account`: the user revokes their own access; every session ends.
    func deactivateAccount(accessToken: String?) async throws {
        var user = try await authenticate(accessToken).user
        user.revokedTimestamp = now
        user.updatedAt = now
        try await store.update(user)
        try await store.deleteSessions(userID: user.id)
        await webhooks.fire("user.deactivated", user: user)
    }
}
