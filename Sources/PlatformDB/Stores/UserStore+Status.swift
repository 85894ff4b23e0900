import Foundation
import SQLKit

extension UserStore {
    /// Makes the user with platform id `id`, who belongs to no tenant, a platform operator (the
    /// console's restore); nil when no such row is in no tenant.
    public func makeOperator(id: String, now: Date, on sql: any SQLDatabase) async throws -> UserRecord? {
        try await sql.update("users").set("role", to: SQLBind(Role.superAdmin.rawValue)).set(
            "updated_at", to: SQLBind(now)
        )
        .where("id", .equal, SQLBind(id)).where("client_id", .is, SQLLiteral.null)
        .returning(UserRecord.columns.map { SQLColumn($0) }).first().map(UserRecord.init(row:))
    }

    /// Authorizer revoked the user: an ACTIVE or pending row becomes SUSPENDED, a suspension that
    /// is then Authorizer's own (``AddAuthorizerSuspension``). Returns whether it did; a row the
    /// platform suspended, or a deleted one, is left as it is.
    public func suspendForAuthorizer(authorizerID: String, now: Date, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw(
            """
            UPDATE users SET status = 'SUSPENDED', updated_at = \(bind: now)
            WHERE authorizer_id = \(bind: authorizerID) AND status IN ('ACTIVE', 'PENDING_VERIFICATION') RETURNING id
            """
        ).first() != nil
    }

    /// Authorizer enabled the user again: a SUSPENDED row becomes ACTIVE, when its suspension was
    /// Authorizer's (the caller knows, from the sync state).
    public func reactivateForAuthorizer(authorizerID: String, now: Date, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            UPDATE users SET status = 'ACTIVE', updated_at = \(bind: now)
            WHERE authorizer_id = \(bind: authorizerID) AND status = 'SUSPENDED'
            """
        ).run()
    }

    /// The platform decided the user's status itself (suspended or reactivated): from now on the
    /// status is the platform's, and Authorizer's `_enable_access` does not lift it.
    public func takeOverSuspension(userID: String, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            UPDATE user_sync_state SET suspended_by_authorizer = \(bind: false)
            WHERE authorizer_id IN (SELECT authorizer_id FROM users WHERE id = \(bind: userID))
            """
        ).run()
    }

    /// Records whether the user's suspension is Authorizer's (reconcile's counterpart of the
    /// webhook events').
    public func setSuspendedByAuthorizer(_ value: Bool, authorizerID: String, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "user_sync_state")
            .columns("authorizer_id", "authorizer_updated_at", "deleted", "suspended_by_authorizer")
            .values(SQLBind(authorizerID), SQLBind(Int64(0)), SQLBind(false), SQLBind(value))
            .onConflict(with: ["authorizer_id"]) { $0.set(excludedValueOf: "suspended_by_authorizer") }
            .run()
    }

    /// Which of `authorizerIDs` are suspended by Authorizer rather than by the platform.
    public func suspendedByAuthorizer(_ authorizerIDs: [String]) async throws -> Set<String> {
        guard !authorizerIDs.isEmpty else { return [] }
        return try await database.withConnection { sql in
            Set(
                try await sql.select().column("authorizer_id").from("user_sync_state")
                    .where(SQLColumn("authorizer_id"), .in, SQLBind.group(authorizerIDs))
                    .where("suspended_by_authorizer", .equal, SQLBind(true)).all()
                    .map { try $0.decode(column: "authorizer_id", as: String.self) })
        }
    }

    /// Records a sign-in at `time` for the user linked to `authorizerID`, unless a later one is known.
    public func recordLogin(authorizerID: String, at time: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("users").set("last_login_at", to: SQLBind(time))
            .where("authorizer_id", .equal, SQLBind(authorizerID))
            .where {
                $0.where("last_login_at", .is, SQLLiteral.null).orWhere("last_login_at", .lessThan, SQLBind(time))
            }
            .run()
    }

    /// Sets the status of the user linked to `authorizerID`; nil when there is no such row.
    @discardableResult
    public func setStatus(_ status: UserStatus, authorizerID: String, now: Date, on sql: any SQLDatabase) async throws
        -> UserRecord?
    {
        try await sql.update("users")
            .set("status", to: SQLBind(status.rawValue)).set("updated_at", to: SQLBind(now))
            .where("authorizer_id", .equal, SQLBind(authorizerID))
            .returning(UserRecord.columns.map { SQLColumn($0) })
            .first().map(UserRecord.init(row:))
    }
}
