import SQLKit

/// `sign_in_challenges`: a sign-in that Authorizer holds at a second factor (2.4's MFA gate or a
/// mailed code, `internal/service/login.go`), kept by the gateway under an opaque handle that the
/// client holds: the email, the step, and Authorizer's MFA session cookie, which never reaches the
/// client. Handles are stored as SHA-256 hashes. Shared by every gateway instance on the database.
struct CreateSignInChallenges: Migration {
    let name = "20261130000010_create_sign_in_challenges"

    func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws {
        try await sql.raw(
            """
            CREATE TABLE sign_in_challenges (
              handle_hash       TEXT PRIMARY KEY NOT NULL,
              email             TEXT NOT NULL,
              step              TEXT NOT NULL,
              authorizer_cookie TEXT NOT NULL,
              expires_at        TIMESTAMP NOT NULL
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX sign_in_challenges_expiry ON sign_in_challenges (expires_at)").run()
        if dialect == .postgres {
            try await sql.raw("REVOKE ALL ON sign_in_challenges FROM PUBLIC").run()
            try await sql.raw("GRANT SELECT, INSERT, UPDATE, DELETE ON sign_in_challenges TO platform_app").run()
        }
    }
}
