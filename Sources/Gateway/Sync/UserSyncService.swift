import AuthorizerClient
import Foundation
import Logging
import PlatformDB
import SQLKit

/// The seed's `UserSyncService`: applies Authorizer's user events to the platform's users.
///
/// Built for Authorizer as it behaves (CONTRACT §5): events may be lost, duplicated or late, and
/// there is no `user.updated`. An event never overwrites newer state (judged by Authorizer's
/// `updated_at`), a late event does not resurrect a deleted user, and roles set in the platform
/// are never overwritten.
public struct UserSyncService: Sendable {
    let revocations: RevocationList?
    let loader: UserContextLoader?
    let roles: RoleMapping
    let logger: Logger
    /// Frees an email that a stale row holds when an event's user claims it; nil leaves the
    /// collision to fail the event.
    var ownership: EmailOwnership? = nil

    /// The events this service understands.
    public static let events: Set<String> = [
        "user.signup", "user.created", "user.login", "user.updated", "user.deleted", "user.deactivated",
        "user.access_revoked", "user.access_enabled",
    ]

    /// The user part of a webhook body.
    struct EventUser: Decodable {
        var id: String
        var email: String?
        var givenName: String?
        var familyName: String?
        var emailVerified: Bool?
        var emailVerifiedAt: Int64?
        var updatedAt: Int64?
        var roles: [String]?

        enum CodingKeys: String, CodingKey {
            case id, email, roles
            case givenName = "given_name"
            case familyName = "family_name"
            case emailVerified = "email_verified"
            case emailVerifiedAt = "email_verified_at"
            case updatedAt = "updated_at"
        }

        var isVerified: Bool { emailVerified ?? (emailVerifiedAt != nil) }
    }

    struct Body: Decodable {
        var eventName: String?
        var event: String?
        var user: EventUser

        enum CodingKeys: String, CodingKey {
            case eventName = "event_name"
            case event, user
        }
    }

    /// What the platform knows of a user's events: the newest `updated_at` applied, and whether
    /// the user was deleted. nil for a user never seen.
    struct SyncState: Equatable {
        var updatedAt: Int64
        var deleted: Bool
        /// Whether the user's SUSPENDED status is Authorizer's (see ``AddAuthorizerSuspension``).
        var suspendedByAuthorizer = false
    }

    /// Applies one stored event on `sql`, inside the inbox's transaction. When another row holds
    /// the email the event's user has, ``EmailOwnership`` asks Authorizer whose it is and frees
    /// it before the event is applied again (a batch with a collision comes back here one by one).
    func apply(_ event: WebhookInbox.Event, on sql: any SQLDatabase) async throws {
        guard var ownership else { return try await apply([event], on: sql) }
        // A webhook may come late or be replayed: its claim is not taken on trust.
        ownership.claimsAreFresh = false
        let user = try JSONDecoder().decode(Body.self, from: Data(event.body.utf8)).user
        let claims = user.email.map { [(authorizerID: user.id, email: $0)] } ?? []
        try await ownership.writing(claims, on: sql) { try await apply([event], on: sql) }
    }

    /// Applies stored events in order on `sql`, inside the inbox's transaction: the users' locks
    /// and sync states are taken in one statement each, and the new states written in one.
    func apply(_ events: [WebhookInbox.Event], on sql: any SQLDatabase) async throws {
        let users = try events.map { try JSONDecoder().decode(Body.self, from: Data($0.body.utf8)).user }
        let ids = Array(Set(users.map(\.id)))
        guard !ids.isEmpty else { return }
        // One user's events are applied one at a time across every gateway instance: two workers
        // holding two events of the same user would both read the old state and the older event
        // could be written last. The locks end with the inbox's transaction; taken in one order,
        // two batches cannot deadlock.
        if sql.dialect.name == "postgresql" {
            try await sql.raw(
                """
                SELECT pg_advisory_xact_lock(\(unsafeRaw: String(Self.lockSpace)), h)
                FROM (SELECT DISTINCT hashtext(id) AS h FROM unnest(\(bind: ids)::text[]) AS id ORDER BY h) AS locks
                """
            ).run()
        }
        var states: [String: SyncState] = [:]
        for row in try await sql.select().column("*").from("user_sync_state")
            .where(SQLColumn("authorizer_id"), .in, SQLBind.group(ids)).all()
        {
            states[try row.decode(column: "authorizer_id", as: String.self)] = SyncState(
                updatedAt: try row.decode(column: "authorizer_updated_at", as: Int64.self),
                deleted: try row.decode(column: "deleted", as: Bool.self),
                suspendedByAuthorizer: try row.decode(column: "suspended_by_authorizer", as: Bool.self))
        }
        let before = states
        // Profile writes of different users do not depend on each other, so they wait and go in
        // one multi-row upsert; any other write of a user whose profile waits goes after it.
        var waiting: [(profile: UserStore.AuthorizerProfile, loginAt: Date?)] = []
        var waitingIDs = Set<String>()
        for (event, user) in zip(events, users) {
            if waitingIDs.contains(user.id) {
                _ = try await UserStore.upsert(waiting, now: Date(), on: sql)
                waiting.removeAll()
                waitingIDs.removeAll()
            }
            if let write = try await apply(event, user: user, state: &states[user.id], on: sql) {
                waiting.append(write)
                waitingIDs.insert(user.id)
            }
        }
        _ = try await UserStore.upsert(waiting, now: Date(), on: sql)
        let changed = states.filter { before[$0.key] != $0.value }.sorted { $0.key < $1.key }
        guard !changed.isEmpty else { return }
        var insert = sql.insert(into: "user_sync_state").columns("authorizer_id", "authorizer_updated_at", "deleted", "suspended_by_authorizer")
        for (id, state) in changed {
            insert = insert.values(SQLBind(id), SQLBind(state.updatedAt), SQLBind(state.deleted), SQLBind(state.suspendedByAuthorizer))
        }
        try await insert.onConflict(with: ["authorizer_id"]) {
            $0.set(excludedValueOf: "authorizer_updated_at").set(excludedValueOf: "deleted").set(excludedValueOf: "suspended_by_authorizer")
        }.run()
    }

    /// One event, given its user's sync state, which it advances. A profile write is returned for
    /// the caller to make, not made.
    private func apply(
        _ event: WebhookInbox.Event, user: EventUser, state: inout SyncState?, on sql: any SQLDatabase
    ) async throws -> (profile: UserStore.AuthorizerProfile, loginAt: Date?)? {
        let now = Date()
        let knownUpdatedAt = state?.updatedAt
        let deleted = state?.deleted ?? false
        var suspendedByAuthorizer = state?.suspendedByAuthorizer ?? false
        // Authorizer's timestamps may be seconds or (in the seed's example) milliseconds.
        let updatedAt = user.updatedAt.map { $0 > 100_000_000_000 ? $0 / 1000 : $0 } ?? 0
        let stale = knownUpdatedAt.map { updatedAt < $0 } ?? false

        // Authorizer sends the whole user with every event: a status event that is not stale
        // carries the newest profile too, and may come before the signup it follows, so the
        // profile is written first and the status has a row to land on.
        if !stale, !deleted, Self.statusEvents.contains(event.eventName), let email = user.email {
            _ = try await UserStore.upsert(profile(user, email: email), loginAt: nil, now: now, on: sql)
        }

        switch event.eventName {
        case "user.deleted":
            try await UserStore.setStatus(.deleted, authorizerID: user.id, now: now, on: sql)
            state = SyncState(updatedAt: max(updatedAt, knownUpdatedAt ?? 0), deleted: true, suspendedByAuthorizer: false)
            revocations?.revoke(user: user.id)
            loader?.invalidate(authorizerID: user.id)
            return nil
        case _ where deleted:
            logger.debug("event for a deleted user ignored", metadata: ["event": "\(event.eventName)"])
            return nil
        case "user.deactivated", "user.access_revoked":
            // Authorizer's suspension is kept apart from the platform's: it owns the status only
            // when it is what suspended the user.
            if !stale {
                if try await UserStore.suspendForAuthorizer(authorizerID: user.id, now: now, on: sql) { suspendedByAuthorizer = true }
                revocations?.revoke(user: user.id)
            }
        case "user.access_enabled":
            // Lifts Authorizer's own suspension only; one a tenant ADMIN made stays.
            if !stale {
                if suspendedByAuthorizer { try await UserStore.reactivateForAuthorizer(authorizerID: user.id, now: now, on: sql) }
                suspendedByAuthorizer = false
                revocations?.restore(user: user.id)
            }
        default:  // signup, created, login, updated: the profile
            if stale, event.eventName == "user.login" {
                // An old login still happened; only its time is news.
                try await sql.update("users").set("last_login_at", to: SQLBind(event.receivedAt))
                    .where("authorizer_id", .equal, SQLBind(user.id))
                    .where { $0.where("last_login_at", .is, SQLLiteral.null).orWhere("last_login_at", .lessThan, SQLBind(event.receivedAt)) }
                    .run()
            } else if !stale, let email = user.email {
                state = SyncState(updatedAt: max(updatedAt, knownUpdatedAt ?? 0), deleted: false, suspendedByAuthorizer: suspendedByAuthorizer)
                loader?.invalidate(authorizerID: user.id)
                return (profile(user, email: email), event.eventName == "user.login" ? event.receivedAt : nil)
            }
        }
        state = SyncState(updatedAt: max(updatedAt, knownUpdatedAt ?? 0), deleted: false, suspendedByAuthorizer: suspendedByAuthorizer)
        loader?.invalidate(authorizerID: user.id)
        return nil
    }

    /// The key space of the per-user advisory locks (the reconciler's run lock is another).
    static let lockSpace: Int32 = 0x5359_4E43  // "SYNC"

    /// The events that change a user's status rather than their profile.
    static let statusEvents: Set<String> = ["user.deleted", "user.deactivated", "user.access_revoked", "user.access_enabled"]

    private func profile(_ user: EventUser, email: String) -> UserStore.AuthorizerProfile {
        UserStore.AuthorizerProfile(
            authorizerID: user.id, email: email, firstName: user.givenName, lastName: user.familyName,
            status: user.isVerified ? .active : .pendingVerification,
            // A webhook never grants operator rights by email (only by Authorizer id): its body is
            // only as trustworthy as the webhook scheme (which may be --insecure-webhooks), while
            // the sign-in that follows verification grants them from Authorizer's own answer.
            roleForNewUser: roles.role(email: email, emailVerified: false, authorizerID: user.id, authorizerRoles: user.roles ?? []))
    }
}
