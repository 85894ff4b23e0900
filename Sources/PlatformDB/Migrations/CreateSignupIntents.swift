import SQLKit

/// `signup_intents`: the company or invitation a signup asked for while Authorizer withheld its
/// user (email verification on: 2.4 answers with a message only, `service/signup.go`), kept until
/// the user first signs in. Invitations are kept as their token's hash, as `invitations` keeps them.
struct CreateSignupIntents: Migration {
    let name = "20261130000004_create_signup_intents"

    func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws {
        try await sql.raw(
            """
            CREATE TABLE signup_intents (
              email            TEXT PRIMARY KEY NOT NULL,
              client_name      TEXT,
              invitation_hash  TEXT,
              created_at       TIMESTAMP NOT NULL DEFAULT \(unsafeRaw: DDL.now(dialect)),
              CONSTRAINT signup_intents_one_kind CHECK ((client_name IS NULL) <> (invitation_hash IS NULL))
            )
            """
        ).run()
    }
}
