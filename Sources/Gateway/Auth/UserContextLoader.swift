import AuthorizerClient
import Foundation
import Logging
import Metrics
import PlatformDB
import ServiceLifecycle
import Synchronization

/// Loads the platform user behind an identity, provisioning it just in time when the webhook that
/// should have created it was lost. Every request asks it, so users are kept for `ttl` in a
/// ``ExpiringCache``: a hit does not suspend, and in steady state no request waits for a read.
public final class UserContextLoader: Sendable {
    let users: UserStore
    let tenants: TenantStore
    let client: AuthorizerClient
    let roles: RoleMapping
    let logger: Logger
    let cache: ExpiringCache<UserContext>
    let ownership: EmailOwnership

    init(
        users: UserStore, tenants: TenantStore, client: AuthorizerClient, ttl: Duration, roles: RoleMapping,
        logger: Logger,
        ownership: EmailOwnership? = nil
    ) {
        self.ownership = ownership ?? EmailOwnership(client: nil, users: users, loader: nil, logger: logger)
        self.users = users
        self.tenants = tenants
        self.client = client
        self.roles = roles
        self.logger = logger
        // A TTL of zero keeps nothing (the caches are off when no notification can drop an entry).
        self.cache = ExpiringCache(
            .init(lifetime: ttl, capacity: ttl > .zero ? 100_000 : 0, metric: "user_context_cache_total"))
    }

    /// The platform user and its tenant.
    public struct UserContext: Sendable {
        public var user: UserRecord
        public var tenant: TenantRecord?

        /// Why this user may not act, if they may not: their tenant is suspended, or they are
        /// suspended or deleted. What every signed-in route refuses, and login and refresh too.
        var barred: Problem? {
            if tenant?.status == .suspended {
                return Problem.forbidden("tenant-suspended", "this account's organisation is suspended")
            }
            switch user.status {
            case .suspended: return Problem.forbidden("user-suspended", "this account is suspended")
            case .deleted: return Problem.forbidden("user-deleted", "this account is deleted")
            default: return nil
            }
        }
    }

    func context(for identity: Identity) async throws -> UserContext {
        try await cache.value(for: identity.token.subject) { try await self.read(identity) }
    }

    private func read(_ identity: Identity) async throws -> UserContext {
        let user: UserRecord
        if let existing = try await users.find(authorizerID: identity.token.subject) {
            user = existing
        } else {
            user = try await provision(identity)
        }
        var tenant: TenantRecord?
        if let tenantID = user.tenantID { tenant = try await tenants.find(id: tenantID) }
        return UserContext(user: user, tenant: tenant)
    }

    func user(for identity: Identity) async throws -> UserRecord {
        try await context(for: identity).user
    }

    /// Forgets a cached user, after a change; a read of it under way is not cached.
    public func invalidate(authorizerID: String) { cache.invalidate(authorizerID) }

    /// Forgets every cached member of a tenant, after the tenant changed (suspended, renamed).
    public func invalidate(tenantID: String) {
        cache.invalidate { $0.tenant?.id == tenantID || $0.user.tenantID == tenantID }
    }

    /// Whether `authorizerID` is cached now (tests).
    public func isCached(_ authorizerID: String) -> Bool { cache.contains(authorizerID) }

    /// Creates the missing row from Authorizer's profile of the token's owner. The upsert is keyed
    /// by `authorizer_id`, so concurrent first requests and a late webhook still make one row.
    private func provision(_ identity: Identity) async throws -> UserRecord {
        let info: AuthorizerUserInfo
        do {
            info = try await client.profile(accessToken: identity.accessToken)
        } catch {
            info = try await client.user(id: identity.token.subject)
        }
        guard let email = info.email else {
            throw PlatformDBError.constraintViolation("the Authorizer user has no email")
        }
        logger.info("provisioned platform user just in time", metadata: ["authorizer_id": "\(info.id)"])
        let profile = UserStore.AuthorizerProfile(
            authorizerID: info.id, email: email, firstName: info.givenName, lastName: info.familyName,
            status: info.emailVerified ? .active : .pendingVerification,
            roleForNewUser: roles.role(
                email: email, emailVerified: info.emailVerified, authorizerID: info.id, authorizerRoles: info.roles))
        return try await users.database.transaction { [ownership] sql in
            try await ownership.writing([(info.id, email)], on: sql) {
                try await users.upsert(profile, loginAt: nil, now: Date(), on: sql)
            }
        }
    }
}
