import Foundation
import SQLKit

extension UserStore {
    /// The live rows (not DELETED) that hold an email of `claims` under another Authorizer id:
    /// each is a copy gone stale, or a claim that is (see the gateway's EmailOwnership).
    public func holders(of claims: [(authorizerID: String, email: String)], on sql: any SQLDatabase) async throws
        -> [UserRecord]
    {
        guard !claims.isEmpty else { return [] }
        let emails = claims.map { SQLQueryString("\(bind: $0.email)") }.joined(separator: ", ")
        let ids = claims.map { SQLQueryString("\(bind: $0.authorizerID)") }.joined(separator: ", ")
        return try await sql.raw(
            """
            SELECT \(unsafeRaw: UserRecord.columns.joined(separator: ", ")) FROM users
            WHERE email IN (\(emails)) AND authorizer_id NOT IN (\(ids)) AND status <> 'DELETED'
            """
        ).all().map(UserRecord.init(row:))
    }

    /// Whether a row other than `authorizerID`'s holds `email` (its own row may already hold it:
    /// another transaction moved it there first).
    public func isTaken(_ email: String, exceptAuthorizerID authorizerID: String, on sql: any SQLDatabase)
        async throws -> Bool
    {
        try await sql.select().column("id").from("users").where("email", .equal, SQLBind(email))
            .where("authorizer_id", .notEqual, SQLBind(authorizerID)).first() != nil
    }

    /// Gives the row of `authorizerID` the email `email` (Authorizer's word for it now), if it
    /// still holds `previous`; a row another transaction changed meanwhile is left as it is.
    public func setEmail(
        _ email: String, authorizerID: String, previous: String, now: Date, on sql: any SQLDatabase
    ) async throws {
        try await sql.update("users").set("email", to: SQLBind(email)).set("updated_at", to: SQLBind(now))
            .where("authorizer_id", .equal, SQLBind(authorizerID)).where("email", .equal, SQLBind(previous)).run()
    }

    /// Lets the row of `authorizerID` give up its email when Authorizer could not say what the
    /// user's email is now: it holds `released:<id>:<old email>` until its next sign-in, event or
    /// reconcile brings the new one. Only while it still holds `email`: a row another transaction
    /// moved meanwhile keeps its new address.
    public func releaseEmail(authorizerID: String, email: String, now: Date, on sql: any SQLDatabase)
        async throws
    {
        try await sql.raw(
            """
            UPDATE users SET email = 'released:' || id || ':' || email, updated_at = \(bind: now)
            WHERE authorizer_id = \(bind: authorizerID) AND email = \(bind: email)
            """
        ).run()
    }

    /// Marks the row of a user Authorizer no longer has as DELETED, its email tombstoned so it can
    /// be taken again (what a `user.deleted` event and reconcile do).
    public func markGone(authorizerID: String, now: Date, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            UPDATE users SET status = 'DELETED', email = 'deleted:' || id || ':' || email, updated_at = \(bind: now)
            WHERE authorizer_id = \(bind: authorizerID)
            """
        ).run()
    }
}
