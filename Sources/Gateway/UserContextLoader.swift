import AuthorizerClient
import Foundation
import Logging
import Metrics
import PlatformDB
import ServiceLifecycle
import Synchronization

/// Loads the platform user behind an identity, provisioning it just in time when the webhook that
/// should have created it was lost.
///
/// Every request asks it, so a hit takes a lock and does not suspend. A user is read once however
/// many requests miss it at the same time (they wait for the same read), and each entry lives a
/// random 75–100% of `ttl`, so that entries cached together do not all expire in the same instant
/// and send every request to the database at once (that was most of B's p99 in issue 9).
public final class UserContextLoader: Sendable {
    let users: UserStore
    let clients: ClientStore
    let client: AuthorizerClient
    let ttl: Duration
    let roles: RoleMapping
    let logger: Logger

    private struct Entry {
        var context: UserContext
        var expiresAt: ContinuousClock.Instant
    }

    private struct State {
        var cache: [String: Entry] = [:]
        var loading: [String: Task<UserContext, any Error>] = [:]
        /// Bumped by every invalidation: a read that one overtook is not cached.
        var generation: UInt64 = 0
    }

    private let state = Mutex(State())
    /// Reads of a user from the database, for tests that check concurrent misses share one.
    let reads = Atomic<Int>(0)

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
        let now = ContinuousClock.now
        enum Step {
            case hit(UserContext)
            case wait(Task<UserContext, any Error>)
            case lead(Task<UserContext, any Error>, generation: UInt64)
        }
        let step: Step = state.withLock { state in
            if let hit = state.cache[id], now < hit.expiresAt { return .hit(hit.context) }
            if let loading = state.loading[id] { return .wait(loading) }
            let task = Task { try await self.read(identity) }
            state.loading[id] = task
            return .lead(task, generation: state.generation)
        }
        switch step {
        case .hit(let context):
            hitCounter.increment()
            return context
        case .wait(let task):
            hitCounter.increment()
            return try await task.value
        case .lead(let task, let generation):
            missCounter.increment()
            let result = await task.result
            let expiresAt = ContinuousClock.now + ttl.jittered()
            state.withLock { state in
                if state.loading[id] == task { state.loading[id] = nil }
                if case .success(let context) = result, state.generation == generation {
                    state.cache[id] = Entry(context: context, expiresAt: expiresAt)
                }
            }
            return try result.get()
        }
    }

    private func read(_ identity: Identity) async throws -> UserContext {
        reads.add(1, ordering: .relaxed)
        let user: UserRecord
        if let existing = try await users.find(authorizerID: identity.token.subject) {
            user = existing
        } else {
            user = try await provision(identity)
        }
        var tenant: ClientRecord?
        if let clientID = user.clientID { tenant = try await clients.find(id: clientID) }
        return UserContext(user: user, client: tenant)
    }

    func user(for identity: Identity) async throws -> UserRecord {
        try await context(for: identity).user
    }

    /// Forgets a cached user, after a change; a read of it under way is not cached.
    public func invalidate(authorizerID: String) {
        state.withLock { state in
            state.generation &+= 1
            state.cache[authorizerID] = nil
            state.loading[authorizerID] = nil
        }
    }

    /// Whether `authorizerID` is cached now (tests).
    public func isCached(_ authorizerID: String) -> Bool { state.withLock { $0.cache[authorizerID] != nil } }

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
                loader.invalidate(authorizerID: authorizerID)
            }
        }
    }
}

extension Duration {
    /// A random 75–100% of this duration: entries cached at the same moment then expire spread
    /// over a quarter of their lifetime instead of all at once.
    func jittered() -> Duration { self * Double.random(in: 0.75...1.0) }
}
