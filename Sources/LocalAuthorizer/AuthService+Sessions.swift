import AuthorizerClient
import Foundation

/// Browser sessions, refresh-token rotation and revocation.
extension AuthService {
    /// Ends a session, named by an access token or by the browser cookie.
    func logout(accessToken: String?, cookie: String?) async throws {
        if let accessToken, !accessToken.isEmpty {
            try await logout(accessToken: accessToken)
        } else {
            let (session, _) = try await liveSession(cookie: cookie)
            try await store.deleteSession(nonce: session.nonce)
        }
    }

    /// The live session behind the `cookie_session` cookie.
    func liveSession(cookie: String?) async throws -> (AuthorizerStore.Session, AuthorizerUser) {
        guard let cookie, !cookie.isEmpty,
            let session = try await store.session(cookieHash: AuthorizerStore.hash(cookie)), session.expiresAt > now,
            let user = try await store.user(id: session.userID), user.revokedTimestamp == nil
        else { throw AuthorizerError.unauthorized }
        return (session, user)
    }

    /// The `session` query: fresh tokens for the cookie's session, if it holds `roles`.
    func sessionTokens(cookie: String?, roles: [String]?) async throws -> AuthResult {
        let (session, user) = try await liveSession(cookie: cookie)
        if let roles, !Set(roles).isSubset(of: session.roles) { throw AuthorizerError.unauthorized }
        return try await mint(session, user: user, message: "Session token generated successfully")
    }

    /// Exchanges a refresh token once (`http_handlers/token.go`): the old session's refresh
    /// entry is claimed, so a second use fails; a new session (a new nonce) is minted with the old
    /// one's roles and scope, and the old session is removed, so its access token stops
    /// validating.
    func refresh(_ refreshToken: String) async throws -> AuthResult {
        let claims: [String: JSONValue]
        do {
            claims = try await checkedClaims(refreshToken, tokenType: "refresh_token")
        } catch {
            try await endReplayedLineage(refreshToken)
            throw error
        }
        guard let nonce = claims["nonce"]?.string, let jti = claims["jti"]?.string,
            let subject = claims["sub"]?.string, let user = try await store.user(id: subject),
            let old = try await store.session(nonce: nonce)
        else { throw AuthorizerError.invalidToken }
        guard try await store.rotateRefresh(nonce: nonce, from: jti, to: UUID().uuidString.lowercased(), expiresAt: now)
        else { throw AuthorizerError.invalidToken }
        let cookie = AuthorizerStore.randomToken()
        let session = AuthorizerStore.Session(
            nonce: UUID().uuidString.lowercased(), userID: user.id, roles: old.roles, scope: old.scope,
            loginMethod: old.loginMethod, expiresAt: now + configuration.refreshTokenExpiresIn,
            cookieHash: AuthorizerStore.hash(cookie), refreshID: UUID().uuidString.lowercased())
        try await store.createSession(session, now: now)
        try await store.deleteSession(nonce: nonce)
        let lifetime = configuration.refreshTokenExpiresIn
        families.rotated(
            family: claims["family_id"]?.string ?? families.family(ofSession: nonce, now: now, lifetime: lifetime),
            from: nonce, to: session.nonce, at: now, lifetime: lifetime)
        var result = try await mint(session, user: user, message: "")
        result.sessionCookie = cookie
        return result
    }

    /// A refresh token this server signed, for this client, still in date, whose session is gone:
    /// a rotated-away token replayed, which ends its lineage's live session unless it is a
    /// double submit (`handleRefreshTokenReuse` in `http_handlers/token.go`, 2.4). A forged or
    /// foreign token ends nothing.
    private func endReplayedLineage(_ refreshToken: String) async throws {
        guard let claims = try? await tokens.verify(refreshToken), Self.timeRefusal(claims, now: now) == nil,
            claims["token_type"]?.string == "refresh_token", claims["aud"]?.string == configuration.clientID,
            let nonce = claims["nonce"]?.string, !nonce.isEmpty, let family = claims["family_id"]?.string,
            try await store.session(nonce: nonce) == nil,
            let live = families.sessionEndedByReplay(of: nonce, family: family, now: now)
        else { return }
        logger.warning("refresh token reuse: the lineage's live session is ended")
        try await store.deleteSession(nonce: live)
    }

    /// Ends the session of a refresh token (the `revoke` mutation and `/oauth/revoke`).
    func revoke(refreshToken: String) async throws {
        let claims = try await checkedClaims(refreshToken, tokenType: "refresh_token")
        if let nonce = claims["nonce"]?.string { try await store.deleteSession(nonce: nonce) }
    }
}
