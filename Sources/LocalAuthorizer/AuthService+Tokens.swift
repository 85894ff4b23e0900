import AuthorizerClient
import Foundation
import HummingbirdBcrypt
import Logging
import NIOPosix
import PlatformDB

extension AuthService {
    /// `validate_jwt_token` as 2.4 judges it (`service/validate_jwt_token.go`): the token's own
    /// `token_type` claim is never compared with the type asked for; access and refresh tokens
    /// need a live session of their nonce, id tokens none. The JWT library's refusals come back in
    /// its own words with no code (golang-jwt v4: no leeway, `exp`, `iat` and `nbf` checked).
    func validate(token: String, tokenType: String, roles: [String]?) async throws -> [String: JSONValue] {
        guard ["access_token", "id_token", "refresh_token"].contains(tokenType) else {
            throw AuthorizerError.invalid("invalid token type")
        }
        let claims: [String: JSONValue]
        do {
            claims = try await tokens.verify(token)
        } catch let error as TokenService.TokenError {
            throw AuthorizerError(message: tokens.libraryMessage(error), code: nil)
        }
        if let refusal = Self.timeRefusal(claims, now: now) { throw AuthorizerError(message: refusal, code: nil) }
        guard let subject = claims["sub"]?.string, !subject.isEmpty else { throw AuthorizerError.invalidToken }
        if tokenType != "id_token" {
            guard let nonce = claims["nonce"]?.string, !nonce.isEmpty,
                let session = try await store.session(nonce: nonce), session.userID == subject, session.expiresAt > now,
                // 2.4 keys a session by `<login_method>:<sub>`: another login method names no session.
                (claims["login_method"]?.string ?? "") == session.loginMethod,
                tokenType != "refresh_token" || session.refreshID != nil
            else { throw AuthorizerError.invalidToken }
        }
        guard let audience = claims["aud"]?.string, !audience.isEmpty,
            claims["iss"]?.string == configuration.issuer
        else { throw AuthorizerError(message: "invalid claims", code: .unauthenticated) }
        // The role claim, else `roles` when it is empty or absent; every role a non-empty string,
        // whether roles are asked for or not (`service/validate_jwt_token.go`).
        var roleValues = claims[configuration.jwtRoleClaim]?.array ?? []
        if roleValues.isEmpty { roleValues = claims["roles"]?.array ?? [] }
        let held = try Set(
            roleValues.map { value in
                guard let role = value.string, !role.isEmpty else {
                    throw AuthorizerError(message: "invalid claims", code: .unauthenticated)
                }
                return role
            })
        if let roles, !roles.isEmpty, !Set(roles).isSubset(of: held) { throw AuthorizerError.unauthorized }
        return claims
    }

    /// golang-jwt v4's `MapClaims.Valid` with no leeway: the last failing check of `exp`, `iat`,
    /// `nbf` names the refusal, where a time of 0 counts as absent (`VerifyExpiresAt` and the
    /// others); then Authorizer requires `exp` and `iat` (`internal/token/jwt.go`).
    static func timeRefusal(_ claims: [String: JSONValue], now: Int64) -> String? {
        func number(_ key: String) -> Double? {
            switch claims[key] {
            case .int(let value)?: Double(value)
            case .double(let value)?: value
            default: nil
            }
        }
        func checked(_ key: String) -> Bool { claims[key] != nil && number(key) != 0 }
        let current = Double(now)
        var refusal: String?
        if checked("exp"), !(number("exp").map { current < $0 } ?? false) { refusal = "Token is expired" }
        if checked("iat"), !(number("iat").map { current >= $0 } ?? false) { refusal = "Token used before issued" }
        if checked("nbf"), !(number("nbf").map { current >= $0 } ?? false) { refusal = "Token is not valid yet" }
        if let refusal { return refusal }
        guard claims["exp"] != nil else { return "missing exp claim" }
        guard number("exp") != nil else { return "invalid exp claim" }
        guard claims["iat"] != nil else { return "missing iat claim" }
        guard number("iat") != nil else { return "invalid iat claim" }
        return nil
    }

    func authenticate(_ accessToken: String?) async throws -> (claims: [String: JSONValue], user: AuthorizerUser) {
        guard let accessToken, !accessToken.isEmpty else { throw AuthorizerError.unauthorized }
        let claims: [String: JSONValue]
        do {
            claims = try await checkedClaims(accessToken, tokenType: "access_token")
        } catch {
            throw AuthorizerError.unauthorized
        }
        guard let id = claims["sub"]?.string, let user = try await store.user(id: id) else {
            throw AuthorizerError.unauthorized
        }
        return (claims, user)
    }

    /// Signature, algorithm, expiry, issuer, audience, token type, live session, live user.
    func checkedClaims(_ token: String, tokenType: String) async throws -> [String: JSONValue] {
        let claims: [String: JSONValue]
        do {
            claims = try await tokens.verify(token)
        } catch {
            throw AuthorizerError.invalidToken
        }
        guard let exp = claims["exp"]?.int, exp > now,
            claims["iss"]?.string == configuration.issuer,
            claims["aud"]?.string == configuration.clientID,
            claims["token_type"]?.string == tokenType,
            let nonce = claims["nonce"]?.string, let subject = claims["sub"]?.string
        else { throw AuthorizerError.invalidToken }
        guard let session = try await store.session(nonce: nonce), session.userID == subject, session.expiresAt > now,
            tokenType != "refresh_token"
                || (session.refreshID != nil && claims["jti"]?.string == session.refreshID),
            let user = try await store.user(id: subject), user.revokedTimestamp == nil
        else { throw AuthorizerError.unauthorized }
        return claims
    }
}
