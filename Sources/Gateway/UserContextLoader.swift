import AuthorizerClient
import Foundation
import Logging
import PlatformDB

/// Loads the platform user behind an identity, provisioning it just in time when the webhook that
/// should have created it was lost.
public actor UserContextLoader {
    let users: UserStore
    let client: AuthorizerClient
    let ttl: Duration
    let logger: Logger
    private var cache: [String: (user: UserRecord, at: ContinuousClock.Instant)] = [:]

    init(users: UserStore, client: AuthorizerClient, ttl: Duration, logger: Logger) {
        self.users = users
        self.client = client
        self.ttl = ttl
        self.logger = logger
    }

    func user(for identity: Identity) async throws -> UserRecord {
        let id = identity.token.subject
        if let hit = cache[id], ContinuousClock.now - hit.at < ttl { return hit.user }
        let user: UserRecord
        if let existing = try await users.find(authorizerID: id) {
            user = existing
        } else {
            user = try await provision(identity)
        }
        cache[id] = (user, .now)
        return user
    }

    /// Forgets a cached user, after a change.
    public func invalidate(authorizerID: String) {
        cache[authorizerID] = nil
    }

    /// Creates the missing row from Authorizer's profile of the token's owner. The upsert is keyed
    /// by `authorizer_id`, so concurrent first requests and a late webhook still make one row.
    private func provision(_ identity: Identity) async throws -> UserRecord {
        let info: AuthorizerUserInfo
        do {
            info = try await client.profile(accessToken: identity.accessToken)
        } catch {
            info = try await client.user(id: identity.token.subject)
        }
        guard let email = info.email else { throw PlatformDBError.constraintViolation("the Authorizer user has no email") }
        logger.info("provisioned platform user just in time", metadata: ["authorizer_id": "\(info.id)"])
        return try await users.upsertFromAuthorizer(
            .init(
                authorizerID: info.id, email: email, firstName: info.givenName, lastName: info.familyName,
                status: info.emailVerified ? .active : .pendingVerification))
    }
}
