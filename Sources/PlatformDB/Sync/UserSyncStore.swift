import Foundation
import SQLKit

/// Applies Authorizer's user events to the platform's users, on the caller's transaction: the
/// per-user locks, the ordering state (`user_sync_state`) and the user rows, in one place.
///
/// Built for Authorizer as it behaves: events may be lost, duplicated or late, and 2.4 sends no
/// `user.updated` (`internal/events/events.go`). An event never overwrites newer state (judged by
/// Authorizer's `updated_at`), a late event does not resurrect a deleted user, and roles set in
/// the platform are never overwritten.
public struct UserSyncStore: Sendable {
    /// The role a user new to the platform gets from an event's user (the gateway's role mapping).
    let roleForNewUser: @Sendable (UserEvent.User) -> Role
    let users: UserStore

    public init(_ database: PlatformDatabase, roleForNewUser: @escaping @Sendable (UserEvent.User) -> Role) {
        self.roleForNewUser = roleForNewUser
        users = UserStore(database)
    }

    /// One event as the inbox stored it.
    public typealias Received = (event: UserEvent, receivedAt: Date)

    /// What applying events changed, for the caller to act on once they are committed.
    public struct Changes: Sendable, Equatable {
        /// Users whose platform row or status may have changed: cached copies are stale.
        public var touched: Set<String> = []
        /// Per user, the last word on their sessions: true ends them (deleted, deactivated,
        /// access revoked), false lifts that end (access enabled).
        public var sessionsEnded: [String: Bool] = [:]

        public init() {}

        /// `other`'s changes after these.
        public mutating func merge(_ other: Changes) {
            touched.formUnion(other.touched)
            sessionsEnded.merge(other.sessionsEnded) { _, later in later }
        }
    }

    /// The key space of the per-user advisory locks (the reconciler's run lock is another).
    public static let lockSpace: Int32 = 0x5359_4E43  // "SYNC"

    /// Applies `events` in order on `sql`, inside the caller's transaction. The users' locks and
    /// sync states are taken in one statement each, profile writes of different users go in one
    /// multi-row upsert, and the new states are written in one statement.
    public func apply(_ events: [Received], on sql: any SQLDatabase) async throws -> Changes {
        let ids = Array(Set(events.map(\.event.user.id)))
        var changes = Changes()
        guard !ids.isEmpty else { return changes }
        try await lock(ids, on: sql)
        var states = try await Self.states(of: ids, on: sql)
        let before = states
        // Profile writes of different users do not depend on each other, so they wait and go in
        // one multi-row upsert; any other write of a user whose profile waits goes after it.
        var waiting: [(profile: UserStore.AuthorizerProfile, loginAt: Date?)] = []
        var waitingIDs = Set<String>()
        for (event, receivedAt) in events {
            let id = event.user.id
            if waitingIDs.contains(id) {
                _ = try await users.upsert(waiting, now: Date(), on: sql)
                waiting.removeAll()
                waitingIDs.removeAll()
            }
            if let write = try await apply(
                event, receivedAt: receivedAt, state: &states[id], changes: &changes, on: sql)
            {
                waiting.append(write)
                waitingIDs.insert(id)
            }
            changes.touched.insert(id)
        }
        _ = try await users.upsert(waiting, now: Date(), on: sql)
        try await Self.save(states.filter { before[$0.key] != $0.value }, on: sql)
        return changes
    }

    /// Takes the per-user locks of `events` on `sql` for the rest of its transaction: call it
    /// before any savepoint, so that a batch applied again one event at a time keeps them all.
    public func lock(_ events: [Received], on sql: any SQLDatabase) async throws {
        try await lock(Array(Set(events.map(\.event.user.id))), on: sql)
    }

    /// One user's events are applied one at a time across every gateway instance: two workers
    /// holding two events of the same user would both read the old state, and the older event
    /// could be written last. The locks end with the transaction; taken in one order, two batches
    /// cannot deadlock (taking a lock the transaction holds again does not wait). SQLite has one writer.
    private func lock(_ ids: [String], on sql: any SQLDatabase) async throws {
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw(
            """
            SELECT pg_advisory_xact_lock(\(unsafeRaw: String(Self.lockSpace)), h)
            FROM (SELECT DISTINCT hashtext(id) AS h FROM unnest(\(bind: ids)::text[]) AS id ORDER BY h) AS locks
            """
        ).run()
    }

    /// What the platform knows of a user's events: the newest `updated_at` applied, whether the
    /// user was deleted, and whether their SUSPENDED status is Authorizer's
    /// (``AddAuthorizerSuspension``). Absent for a user never seen.
    struct SyncState: Equatable {
        var updatedAt: Int64
        var deleted: Bool
        var suspendedByAuthorizer = false
    }

    private static func states(of ids: [String], on sql: any SQLDatabase) async throws -> [String: SyncState] {
        var states: [String: SyncState] = [:]
        for row in try await sql.select().column("*").from("user_sync_state")
            .where(SQLColumn("authorizer_id"), .in, SQLBind.group(ids)).all()
        {
            states[try row.decode(column: "authorizer_id", as: String.self)] = SyncState(
                updatedAt: try row.decode(column: "authorizer_updated_at", as: Int64.self),
                deleted: try row.decode(column: "deleted", as: Bool.self),
                suspendedByAuthorizer: try row.decode(column: "suspended_by_authorizer", as: Bool.self))
        }
        return states
    }

    private static func save(_ changed: [String: SyncState], on sql: any SQLDatabase) async throws {
        guard !changed.isEmpty else { return }
        var insert = sql.insert(into: "user_sync_state")
            .columns("authorizer_id", "authorizer_updated_at", "deleted", "suspended_by_authorizer")
        for (id, state) in changed.sorted(by: { $0.key < $1.key }) {
            insert = insert.values(
                SQLBind(id), SQLBind(state.updatedAt), SQLBind(state.deleted), SQLBind(state.suspendedByAuthorizer))
        }
        try await insert.onConflict(with: ["authorizer_id"]) {
            $0.set(excludedValueOf: "authorizer_updated_at").set(excludedValueOf: "deleted")
                .set(excludedValueOf: "suspended_by_authorizer")
        }.run()
    }

    /// One event, given its user's sync state, which it advances. A profile write is returned for
    /// the caller to make, not made.
    private func apply(
        _ event: UserEvent, receivedAt: Date, state: inout SyncState?, changes: inout Changes, on sql: any SQLDatabase
    ) async throws -> (profile: UserStore.AuthorizerProfile, loginAt: Date?)? {
        let now = Date()
        let user = event.user
        let known = state?.updatedAt
        let deleted = state?.deleted ?? false
        var suspendedByAuthorizer = state?.suspendedByAuthorizer ?? false
        let updatedAt = max(user.updatedAtSeconds, known ?? 0)
        let stale = known.map { user.updatedAtSeconds < $0 } ?? false
        // A late event for a deleted user changes nothing, its state included.
        if deleted, event.kind != .deleted { return nil }
        defer {
            state = SyncState(
                updatedAt: updatedAt, deleted: deleted || event.kind == .deleted,
                suspendedByAuthorizer: event.kind == .deleted ? false : suspendedByAuthorizer)
        }
        // Authorizer sends the whole user with every event: a status event that is not stale
        // carries the newest profile too, and may come before the signup it follows, so the
        // profile is written first and the status has a row to land on.
        if !stale, !deleted, event.kind.changesStatus, let email = user.email {
            _ = try await users.upsert(profile(user, email: email), loginAt: nil, now: now, on: sql)
        }
        switch event.kind {
        case .deleted:
            try await users.setStatus(.deleted, authorizerID: user.id, now: now, on: sql)
            changes.sessionsEnded[user.id] = true
        case .deactivated, .accessRevoked:
            // Authorizer's suspension is kept apart from the platform's: it owns the status only
            // when it is what suspended the user.
            guard !stale else { break }
            if try await users.suspendForAuthorizer(authorizerID: user.id, now: now, on: sql) {
                suspendedByAuthorizer = true
            }
            changes.sessionsEnded[user.id] = true
        case .accessEnabled:
            // Lifts Authorizer's own suspension only; one a tenant ADMIN made stays.
            guard !stale else { break }
            if suspendedByAuthorizer {
                try await users.reactivateForAuthorizer(authorizerID: user.id, now: now, on: sql)
            }
            suspendedByAuthorizer = false
            changes.sessionsEnded[user.id] = false
        case .signup, .created, .login, .updated:
            if stale, event.kind == .login {
                // An old login still happened; only its time is news.
                try await users.recordLogin(authorizerID: user.id, at: receivedAt, on: sql)
            } else if !stale, let email = user.email {
                return (profile(user, email: email), event.kind == .login ? receivedAt : nil)
            }
        }
        return nil
    }

    private func profile(_ user: UserEvent.User, email: String) -> UserStore.AuthorizerProfile {
        UserStore.AuthorizerProfile(
            authorizerID: user.id, email: email, firstName: user.givenName, lastName: user.familyName,
            status: user.isVerified ? .active : .pendingVerification, roleForNewUser: roleForNewUser(user))
    }
}
