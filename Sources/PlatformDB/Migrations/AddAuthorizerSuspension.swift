import SQLKit

/// Whose a suspension is: `user_sync_state.suspended_by_authorizer` is true while a user's
/// SUSPENDED status came from Authorizer (`user.access_revoked`, `user.deactivated`, a reconcile
/// of a revoked user), and false once the platform itself suspended or reactivated them. So
/// Authorizer's `_enable_access` lifts only Authorizer's own suspension: it once made a user whom
/// a tenant ADMIN had suspended ACTIVE again.
struct AddAuthorizerSuspension: Migration {
    let name = "20261130000002_add_authorizer_suspension"

    func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws {
        try await sql.raw(
            "ALTER TABLE user_sync_state ADD COLUMN suspended_by_authorizer BOOLEAN NOT NULL DEFAULT FALSE"
        ).run()
    }
}
