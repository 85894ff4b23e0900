import AuthorizerClient
import Foundation
import Logging
import Metrics
import PlatformDB
import ServiceLifecycle

/// Loads the platform user behind an identity, provisioning it just in time when the webhook that
/// should have created it was lost.
public actor UserContextLoader {
    let users: UserStore
    let clients: ClientStore
    let client: AuthorizerClient
    let ttl: Duration
    let roles: RoleMapping
    let logger: Logger
    private var cache: [String: (context: UserContext, at: ContinuousClock.Instant)] = [:]
    /// Cache hits and misses, for metrics and tests.
    public private(set) var hits = 0
    public private(set) var misses = 0

    init(users: UserStore, clients: ClientStore, client: AuthorizerClient, ttl: Duration, roles: RoleMapping, logger: Logger) {
        self.users = users
        self.clients = clients
        self.client = client
        self.ttl = ttl
        self.roles = roles
        self.logger = logger
    }

    /// The platform user and its tenant.
    public struct UserContext: Sendable {
        public var user: UserRecord
        public var client: ClientRecord?
    }

    private let hitCounter = Counter(label: "user_context_cache_total", dimensions: [("result", "hit")])
    private let missCounter = Counter(label: "user_context_cache_total", dimensions: [("result", "miss")])

    func context(for identity: Identity) async throws -> UserContext {
        let id = identity.token.subject
        if let hit = cache[id], ContinuousClock.now - hit.at < ttl {
            hits += 1
            hitCounter.increment()
            return hit.context
        }
        misses += 1
        missCounter.increment()
        let user: UserRecord
        if let existing = try await users.find(authorizerID: id) {
            user = existing
        } else {
            user = try await provision(identity)
        }
        var tenant: ClientRecord?
        if let clientID = user.clientID { tenant = try await clients.find(id: clientID) }
        let context = UserContext(user: user, client: tenant)
        cache[id] = (context, .now)
        return context
    }

    func user(for identity: Identity) async throws -> UserRecord {
        try await context(for: identity).user
    }

    /// Forgets a cached user, after a change.
    public func invalidate(authorizerID: String) {
        cache[authorizerID] = nil
    }

    /// Whether `authorizerID` is cached now (tests).
    public func isCached(_ authorizerID: String) -> Bool { cache[authorizerID] != nil }

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
                status: info.emailVerified ? .active : .pendingVerification,
                roleForNewUser: roles.role(email: email, authorizerID: info.id, authorizerRoles: info.roles)))
    }
}

/// Drops cached users when PostgreSQL announces a change made by any instance.
struct UserChangeListener: Service {
    let database: PlatformDatabase
    let loader: UserContextLoader

    func run() async throws {
        let loader = self.loader
        try await cancelWhenGracefulShutdown {
            await database.listen(channel: Migrator.userChangeChannel) { authorizerID in
                await loader.invalidate(authorizerID: authorizerID)
            }
        }
    }
}
