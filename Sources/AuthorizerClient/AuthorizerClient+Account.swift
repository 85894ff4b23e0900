import AsyncHTTPClient
import Foundation
import Logging
import Metrics
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

extension AuthorizerClient {
    /// `scope` with `offline_access` asks for a refresh token with the session (`token/auth_token.go`).
    public func signup(
        email: String, password: String, confirmPassword: String, givenName: String?, familyName: String?,
        scope: [String]? = nil
    ) async throws -> AuthorizerAuthResponse {
        var params: [String: JSONValue] = [
            "email": .string(email), "password": .string(password), "confirm_password": .string(confirmPassword),
        ]
        params["given_name"] = givenName.map(JSONValue.string)
        params["family_name"] = familyName.map(JSONValue.string)
        params["scope"] = scope.map { .array($0.map(JSONValue.string)) }
        return try await authCall(AuthorizerDocuments.signup, field: "signup", params: params)
    }

    public func login(email: String, password: String, scope: [String]? = nil) async throws -> AuthorizerAuthResponse {
        var params: [String: JSONValue] = ["email": .string(email), "password": .string(password)]
        params["scope"] = scope.map { .array($0.map(JSONValue.string)) }
        return try await authCall(AuthorizerDocuments.login, field: "login", params: params)
    }

    public func logout(accessToken: String) async throws {
        let _: MessageResponse = try await call(
            AuthorizerDocuments.logout, field: "logout", bearer: accessToken, idempotent: true)
    }

    public func profile(accessToken: String) async throws -> AuthorizerUserInfo {
        try await call(AuthorizerDocuments.profile, field: "profile", bearer: accessToken, idempotent: true)
    }

    /// `validate_jwt_token`: the claims of a good access token; an invalid one throws
    /// ``AuthorizerClientError/unauthenticated(_:)``, as Authorizer reports it.
    public func validateAccessToken(_ token: String) async throws -> [String: JSONValue] {
        let response: ValidateResponse = try await call(
            AuthorizerDocuments.validateJWTToken, field: "validate_jwt_token",
            variables: ["params": .object(["token_type": .string("access_token"), "token": .string(token)])],
            idempotent: true)
        guard response.isValid else { throw AuthorizerClientError.unauthenticated("invalid token") }
        return response.claims ?? [:]
    }

    public func updateProfile(accessToken: String, givenName: String?, familyName: String?) async throws {
        var params: [String: JSONValue] = [:]
        params["given_name"] = givenName.map(JSONValue.string)
        params["family_name"] = familyName.map(JSONValue.string)
        let _: MessageResponse = try await call(
            AuthorizerDocuments.updateProfile, field: "update_profile", variables: ["params": .object(params)],
            bearer: accessToken, idempotent: true)
    }

    /// With `redirectURI`, the mailed link is that URI with `?token=` (`utils.GetForgotPasswordURL`).
    public func forgotPassword(email: String, redirectURI: String? = nil) async throws -> String {
        var params: [String: JSONValue] = ["email": .string(email)]
        params["redirect_uri"] = redirectURI.map(JSONValue.string)
        let response: MessageResponse = try await call(
            AuthorizerDocuments.forgotPassword, field: "forgot_password",
            variables: ["params": .object(params)], idempotent: false)
        return response.message
    }

    public func resetPassword(token: String, password: String, confirmPassword: String) async throws -> String {
        let response: MessageResponse = try await call(
            AuthorizerDocuments.resetPassword, field: "reset_password",
            variables: [
                "params": .object([
                    "token": .string(token), "password": .string(password),
                    "confirm_password": .string(confirmPassword),
                ])
            ], idempotent: false)
        return response.message
    }

    public func verifyEmail(token: String) async throws -> AuthorizerAuthResponse {
        try await authCall(AuthorizerDocuments.verifyEmail, field: "verify_email", params: ["token": .string(token)])
    }

    /// Ends a refresh token's session at `/oauth/revoke` (RFC 7009: an unknown token is not an
    /// error, `http_handlers/revoke_refresh_token.go`).
    public func revoke(refreshToken: String) async throws {
        let form =
            "token=\(Self.formEncode(refreshToken))&token_type_hint=refresh_token&client_id=\(Self.formEncode(configuration.clientID))"
        let (status, _, retryAfter, _) = try await send(
            path: "/oauth/revoke", body: Data(form.utf8), contentType: "application/x-www-form-urlencoded",
            admin: false)
        if status == 429 { throw AuthorizerClientError.tooManyRequests(retryAfter: retryAfter ?? 1) }
        if status >= 500 { throw AuthorizerClientError.unavailable("HTTP \(status)") }
    }

    /// Exchanges an authorization code at `/oauth/token` with its PKCE verifier (RFC 7636; never
    /// retried: a code is spent on first use). A refusal is ``AuthorizerClientError/invalidArgument(_:)``
    /// with Authorizer's `error_description` (`http_handlers/token.go`).
    public func exchangeCode(_ code: String, verifier: String, redirectURI: String) async throws
        -> AuthorizerTokenResponse
    {
        try await Self.measured("oauth_token") {
            let form = [
                ("grant_type", "authorization_code"), ("client_id", configuration.clientID), ("code", code),
                ("code_verifier", verifier), ("redirect_uri", redirectURI),
            ].map { "\($0.0)=\(Self.formEncode($0.1))" }.joined(separator: "&")
            let (status, body, retryAfter, _) = try await send(
                path: "/oauth/token", body: Data(form.utf8), contentType: "application/x-www-form-urlencoded",
                admin: false)
            guard status == 200 else {
                if status == 429 { throw AuthorizerClientError.tooManyRequests(retryAfter: retryAfter ?? 1) }
                if status >= 500 { throw AuthorizerClientError.unavailable("HTTP \(status)") }
                let refusal = try? JSONDecoder().decode([String: String].self, from: body)
                let description = refusal?["error_description"] ?? "the code was refused"
                throw status == 401
                    ? AuthorizerClientError.unauthenticated(description)
                    : AuthorizerClientError.invalidArgument(description)
            }
            do {
                return try JSONDecoder().decode(AuthorizerTokenResponse.self, from: body)
            } catch {
                throw AuthorizerClientError.protocolError("token response: \(error)")
            }
        }
    }

    /// Exchanges a refresh token at `/oauth/token` (never retried: a used token is spent).
    public func refresh(_ refreshToken: String) async throws -> AuthorizerTokenResponse {
        try await Self.measured("oauth_token") { try await exchange(refreshToken) }
    }

    func exchange(_ refreshToken: String) async throws -> AuthorizerTokenResponse {
        let form =
            "grant_type=refresh_token&client_id=\(Self.formEncode(configuration.clientID))&refresh_token=\(Self.formEncode(refreshToken))"
        let (status, body, retryAfter, _) = try await send(
            path: "/oauth/token", body: Data(form.utf8), contentType: "application/x-www-form-urlencoded", admin: false)
        guard status == 200 else {
            // http_handlers/token.go: 400 invalid_grant and 401 for a bad token, 503 when its store
            // fails; the rate limit's 429 is "try again", never "signed out".
            if status == 429 { throw AuthorizerClientError.tooManyRequests(retryAfter: retryAfter ?? 1) }
            if status >= 500 { throw AuthorizerClientError.unavailable("HTTP \(status)") }
            throw AuthorizerClientError.unauthenticated("invalid refresh token")
        }
        do {
            return try JSONDecoder().decode(AuthorizerTokenResponse.self, from: body)
        } catch {
            throw AuthorizerClientError.protocolError("token response: \(error)")
        }
    }

    struct MessageResponse: Decodable { var message: String }

    struct ValidateResponse: Decodable {
        var isValid: Bool
        var claims: [String: JSONValue]?
        enum CodingKeys: String, CodingKey {
            case isValid = "is_valid"
            case claims
        }
    }

    /// Signup, login, verify_email and the MFA steps: the answer, with the MFA session cookies
    /// Authorizer set (`mfa_session`, `mfa_session_domain`: `internal/cookie/mfa_session.go`) kept
    /// as ``AuthorizerAuthResponse/mfaCookie`` to send back with the next step.
    func authCall(_ document: String, field: String, params: [String: JSONValue], cookie: String? = nil)
        async throws -> AuthorizerAuthResponse
    {
        var (response, setCookies): (AuthorizerAuthResponse, [String]) = try await callWithCookies(
            document, field: field, variables: ["params": .object(params)], cookie: cookie)
        response.mfaCookie = Self.mfaCookie(from: setCookies) ?? cookie
        response.mfaCookieLifetime = Self.mfaCookieLifetime(from: setCookies)
        return response
    }

    /// The `Max-Age` of the MFA session cookie in `setCookies`, seconds.
    static func mfaCookieLifetime(from setCookies: [String]) -> Int? {
        for header in setCookies where header.hasPrefix("mfa_session") {
            for attribute in header.split(separator: ";") {
                let pair = attribute.trimmingCharacters(in: .whitespaces)
                if pair.lowercased().hasPrefix("max-age="), let seconds = Int(pair.dropFirst(8)) { return seconds }
            }
        }
        return nil
    }

    /// The `Cookie` header that carries the MFA session named in `setCookies`, or nil.
    static func mfaCookie(from setCookies: [String]) -> String? {
        let pairs = setCookies.compactMap { header -> String? in
            let pair = header.prefix { $0 != ";" }.trimmingCharacters(in: .whitespaces)
            guard pair.hasPrefix("mfa_session"), pair.contains("="), !pair.hasSuffix("=") else { return nil }
            return pair
        }
        return pairs.isEmpty ? nil : pairs.joined(separator: "; ")
    }

    /// `verify_otp` (`service/verify_otp.go`): an authenticator-app code (or a recovery code) with
    /// `isTOTP`, else a mailed code, within the MFA session of `cookie`.
    /// An empty `email` leaves the user to the cookie.
    public func verifyOTP(email: String, otp: String, isTOTP: Bool, cookie: String) async throws
        -> AuthorizerAuthResponse
    {
        var params: [String: JSONValue] = ["otp": .string(otp), "is_totp": .bool(isTOTP)]
        if !email.isEmpty { params["email"] = .string(email) }
        return try await authCall(AuthorizerDocuments.verifyOTP, field: "verify_otp", params: params, cookie: cookie)
    }

    /// `skip_mfa_setup` (2.4, `service/skip_mfa_setup.go`): tokens where setup is optional.
    public func skipMFASetup(email: String, cookie: String) async throws -> AuthorizerAuthResponse {
        try await authCall(
            AuthorizerDocuments.skipMFASetup, field: "skip_mfa_setup",
            params: email.isEmpty ? [:] : ["email": .string(email)], cookie: cookie)
    }

    /// `email_otp_mfa_setup` (2.4, `service/otp_mfa_setup.go`): mails a code that enrols email
    /// OTP; the MFA session is re-armed (its new cookie, if one was set).
    public func emailOTPMFASetup(email: String, cookie: String) async throws -> (message: String, cookie: String?) {
        let (response, setCookies): (MessageResponse, [String]) = try await callWithCookies(
            AuthorizerDocuments.emailOTPMFASetup, field: "email_otp_mfa_setup",
            variables: ["params": .object(["email": .string(email)])], cookie: cookie)
        return (response.message, Self.mfaCookie(from: setCookies))
    }

    /// `resend_otp` (`service/resend_otp.go`): a new mailed code, and a new MFA session cookie.
    public func resendOTP(email: String) async throws -> (message: String, cookie: String?) {
        let (response, setCookies): (MessageResponse, [String]) = try await callWithCookies(
            AuthorizerDocuments.resendOTP, field: "resend_otp",
            variables: ["params": .object(["email": .string(email)])], cookie: nil)
        return (response.message, Self.mfaCookie(from: setCookies))
    }

    /// `magic_link_login` (`service/magic_link_login.go`): the same message whether a link went out.
    /// `state` comes back with the link's redirect (`verify_email.go`).
    public func magicLinkLogin(email: String, redirectURI: String?, scope: [String]? = nil, state: String? = nil)
        async throws -> String
    {
        var params: [String: JSONValue] = ["email": .string(email)]
        params["state"] = state.map(JSONValue.string)
        params["redirect_uri"] = redirectURI.map(JSONValue.string)
        params["scope"] = scope.map { .array($0.map(JSONValue.string)) }
        let response: MessageResponse = try await call(
            AuthorizerDocuments.magicLinkLogin, field: "magic_link_login", variables: ["params": .object(params)],
            idempotent: false)
        return response.message
    }
}
