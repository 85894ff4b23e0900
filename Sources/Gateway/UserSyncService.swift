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

    /// Applies one stored event on `sql`, inside the inbox's transaction.
    func apply(_ event: WebhookInbox.Event, on sql: any SQLDatabase) async throws {
        let body = try JSONDecoder().decode(Body.self, from: Data(event.body.utf8))
        let user = body.user
        let now = Date()
        // One user's events are applied one at a time across every gateway instance: two workers
        // holding two events of the same user would both read the old state and the older event
        // could be written last. The lock ends with the inbox's transaction.
        if sql.dialect.name == "postgresql" {
            try await sql.raw("SELECT pg_advisory_xact_lock(\(unsafeRaw: String(Self.lockSpace)), hashtext(\(bind: user.id)))").run()
        }
        let state = try await sql.select().column("*").from("user_sync_state")
            .where("authorizer_id", .equal, SQLBind(user.id)).first()
        let knownUpdatedAt = try state?.decode(column: "authorizer_updated_at", as: Int64.self)
        let deleted = try state?.decode(column: "deleted", as: Bool.self) ?? false
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
            try await recordState(user.id, updatedAt: max(updatedAt, knownUpdatedAt ?? 0), deleted: true, on: sql)
            await revocations?.revoke(user: user.id)
        case _ where deleted:
            logger.debug("event for a deleted user ignored", metadata: ["event": "\(event.eventName)"])
            return
        case "user.deactivated", "user.access_revoked":
            if !stale {
                try await UserStore.setStatus(.suspended, authorizerID: user.id, now: now, on: sql)
                await revocations?.revoke(user: user.id)
            }
        case "user.access_enabled":
            if !stale {
                try await UserStore.setStatus(.active, authorizerID: user.id, now: now, on: sql)
                await revocations?.restore(user: user.id)
            }
        default:  // signup, created, login, updated: the profile
            if stale, event.eventName == "user.login" {
                // An old login still happened; only its time is news.
                try await sql.update("users").set("last_login_at", to: SQLBind(event.receivedAt))
                    .where("authorizer_id", .equal, SQLBind(user.id))
                    .where { $0.where("last_login_at", .is, SQLLiteral.null).orWhere("last_login_at", .lessThan, SQLBind(event.receivedAt)) }
                    .run()
            } else if !stale, let email = user.email {
                _ = try await UserStore.upsert(
                    profile(user, email: email), loginAt: event.eventName == "user.login" ? event.receivedAt : nil, now: now, on: sql)
            }
        }
        if event.eventName != "user.deleted" {
            try await recordState(user.id, updatedAt: max(updatedAt, knownUpdatedAt ?? 0), deleted: false, on: sql)
        }
        await loader?.invalidate(authorizerID: user.id)
    }

    /// The key space of the per-user advisory locks (the reconciler's run lock is another).
    static let lockSpace: Int32 = 0x5359_4E43  // "SYNC"

    /// The events that change a user's status rather than their profile.
    static let statusEvents: Set<String> = ["user.deleted", "user.deactivated", "user.access_revoked", "user.access_enabled"]

    private func profile(_ user: EventUser, email: String) -> UserStore.AuthorizerProfile {
        UserStore.AuthorizerProfile(
            authorizerID: user.id, email: email, firstName: user.givenName, lastName: user.familyName,
            status: user.isVerified ? .active : .pendingVerification,
            roleForNewUser: roles.role(email: email, authorizerID: user.id, authorizerRoles: user.roles ?? []))
    }

    private func recordState(_ id: String, updatedAt: Int64, deleted: Bool, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "user_sync_state")
            .columns("authorizer_id", "authorizer_updated_at", "deleted")
            .values(SQLBind(id), SQLBind(updatedAt), SQLBind(deleted))
            .onConflict(with: ["authorizer_id"]) {
                $0.set(excludedValueOf: "authorizer_updated_at").set(excludedValueOf: "deleted")
            }
            .run()
    }
}
