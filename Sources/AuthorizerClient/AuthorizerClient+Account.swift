import AsyncHTTPClient
import Foundation
import Logging
import Metrics
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

extension AuthorizerClient {
    public func signup(
        email: String, password: String, confirmPassword: String, givenName: String?, familyName: String?
    ) async throws -> AuthorizerAuthResponse {
        var params: [String: JSONValue] = [
            "email": .string(email), "password": .string(password), "confirm_password": .string(confirmPassword),
        ]
        params["given_name"] = givenName.map(JSONValue.string)
        params["family_name"] = familyName.map(JSONValue.string)
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

    public func forgotPassword(email: String) async throws -> String {
        let response: MessageResponse = try await call(
            AuthorizerDocuments.forgotPassword, field: "forgot_password",
            variables: ["params": .object(["email": .string(email)])], idempotent: false)
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

    /// Exchanges a refresh token at `/oauth/token` (never retried: a used token is spent).
    public func refresh(_ refreshToken: String) async throws -> AuthorizerTokenResponse {
        try await Self.measured("oauth_token") { try await exchange(refreshToken) }
    }

    func exchange(_ refreshToken: String) async throws -> AuthorizerTokenResponse {
        let form =
            "grant_type=refresh_token&client_id=\(Self.formEncode(configuration.clientID))&refresh_token=\(Self.formEncode(refreshToken))"
        let (status, body, retryAfter) = try await send(
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

    /// Signup, login and verify_email: "Proceed to mfa setup" with no token is reported, not crashed on.
    func authCall(_ document: String, field: String, params: [String: JSONValue]) async throws
        -> AuthorizerAuthResponse
    {
        let response: AuthorizerAuthResponse = try await call(
            document, field: field, variables: ["params": .object(params)], idempotent: false)
        if response.accessToken == nil, response.message.lowercased().contains("mfa") {
            throw AuthorizerClientError.mfaRequired(response.message)
        }
        return response
    }
}
