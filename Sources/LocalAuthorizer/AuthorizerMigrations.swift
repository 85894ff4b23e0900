import PlatformDB
import SQLKit

/// The local Authorizer's own tables, prefixed `authorizer_` as Authorizer's are. They live in
/// the server's own database, never in the platform database.
enum AuthorizerMigrations {
    static let all: [any Migration] = [
        CreateAuthorizerTables(), IndexUsersByCreation(), CreateMFATables(), CreateAuthorizationCodes(),
    ]
    static let ledger = "authorizer_migrations"

    struct CreateAuthorizerTables: Migration {
        let name = "20261129000000_create_authorizer_tables"

        func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws {
            // Times are Unix seconds (BIGINT), as Authorizer exposes them.
            try await sql.raw(
                """
                CREATE TABLE authorizer_users (
                  id TEXT PRIMARY KEY NOT NULL,
                  email TEXT NOT NULL UNIQUE,
                  password TEXT,
                  signup_methods TEXT NOT NULL,
                  given_name TEXT, family_name TEXT, middle_name TEXT, nickname TEXT, gender TEXT,
                  birthdate TEXT, phone_number TEXT, picture TEXT,
                  roles TEXT NOT NULL,
                  email_verified_at BIGINT,
                  phone_number_verified_at BIGINT,
                  revoked_timestamp BIGINT,
                  app_data TEXT,
                  created_at BIGINT NOT NULL,
                  updated_at BIGINT NOT NULL
                )
                """
            ).run()
            try await sql.raw(
                """
                CREATE TABLE authorizer_sessions (
                  nonce TEXT PRIMARY KEY NOT NULL,
                  user_id TEXT NOT NULL REFERENCES authorizer_users(id) ON DELETE CASCADE,
                  roles TEXT NOT NULL,
                  scope TEXT NOT NULL,
                  login_method TEXT NOT NULL,
                  cookie_hash TEXT UNIQUE,
                  refresh_id TEXT,
                  created_at BIGINT NOT NULL,
                  expires_at BIGINT NOT NULL
                )
                """
            ).run()
            try await sql.raw("CREATE INDEX authorizer_sessions_user ON authorizer_sessions(user_id)").run()
            try await sql.raw(
                """
                CREATE TABLE authorizer_login_failures (
                  user_id TEXT NOT NULL REFERENCES authorizer_users(id) ON DELETE CASCADE,
                  at BIGINT NOT NULL
                )
                """
            ).run()
            try await sql.raw("CREATE INDEX authorizer_login_failures_user ON authorizer_login_failures(user_id, at)")
                .run()
            try await sql.raw(
                """
                CREATE TABLE authorizer_verification_requests (
                  token_hash TEXT PRIMARY KEY NOT NULL,
                  kind TEXT NOT NULL,
                  user_id TEXT NOT NULL REFERENCES authorizer_users(id) ON DELETE CASCADE,
                  expires_at BIGINT NOT NULL
                )
                """
            ).run()
            try await sql.raw(
                """
                CREATE TABLE authorizer_outbox (
                  id TEXT PRIMARY KEY NOT NULL,
                  recipient TEXT NOT NULL,
                  kind TEXT NOT NULL,
                  link TEXT NOT NULL,
                  created_at BIGINT NOT NULL
                )
                """
            ).run()
            try await sql.raw(
                """
                CREATE TABLE authorizer_webhooks (
                  id TEXT PRIMARY KEY NOT NULL,
                  event_name TEXT NOT NULL,
                  event_description TEXT,
                  endpoint TEXT NOT NULL,
                  enabled BOOLEAN NOT NULL,
                  headers TEXT,
                  created_at BIGINT NOT NULL,
                  updated_at BIGINT NOT NULL
                )
                """
            ).run()
            try await sql.raw(
                """
                CREATE TABLE authorizer_webhook_logs (
                  id TEXT PRIMARY KEY NOT NULL,
                  webhook_id TEXT NOT NULL,
                  http_status BIGINT,
                  request TEXT,
                  response TEXT,
                  created_at BIGINT NOT NULL,
                  updated_at BIGINT NOT NULL
                )
                """
            ).run()
        }
    }

    /// `_users` pages are newest first: without this index every page sorted the whole table
    /// (a 100,000-user listing took minutes in the benchmark's reconcile).
    struct IndexUsersByCreation: Migration {
        let name = "20261129000001_index_users_by_creation"

        func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws {
            try await sql.raw("CREATE INDEX authorizer_users_created ON authorizer_users(created_at DESC, id DESC)")
                .run()
        }
    }

    /// Multi-factor state (`internal/service/mfa_gate.go`, `verify_otp.go`): each user's
    /// authenticators (a TOTP secret with its recovery-code hashes, an email OTP enrolment), the
    /// skip and lock marks, the short MFA sessions behind the `mfa_session` cookie, the one live
    /// mailed code per user, spent TOTP codes (kept 90 s against replay), and failed code attempts.
    struct CreateMFATables: Migration {
        let name = "20261130000000_create_mfa_tables"

        func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws {
            let statements = [
                """
                CREATE TABLE authorizer_authenticators (
                  user_id TEXT NOT NULL REFERENCES authorizer_users(id) ON DELETE CASCADE,
                  method TEXT NOT NULL,
                  secret TEXT,
                  pending_secret TEXT,
                  pending_recovery_codes TEXT,
                  recovery_codes TEXT NOT NULL,
                  verified_at BIGINT,
                  PRIMARY KEY (user_id, method)
                )
                """,
                """
                CREATE TABLE authorizer_mfa_marks (
                  user_id TEXT PRIMARY KEY NOT NULL REFERENCES authorizer_users(id) ON DELETE CASCADE,
                  skipped_at BIGINT,
                  locked_at BIGINT
                )
                """,
                """
                CREATE TABLE authorizer_mfa_sessions (
                  id_hash TEXT PRIMARY KEY NOT NULL,
                  user_id TEXT NOT NULL REFERENCES authorizer_users(id) ON DELETE CASCADE,
                  purpose TEXT NOT NULL,
                  scope TEXT NOT NULL,
                  expires_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE authorizer_otps (
                  user_id TEXT PRIMARY KEY NOT NULL REFERENCES authorizer_users(id) ON DELETE CASCADE,
                  code_hash TEXT NOT NULL,
                  expires_at BIGINT NOT NULL
                )
                """,
                "CREATE TABLE authorizer_spent_codes (code_key TEXT PRIMARY KEY NOT NULL, expires_at BIGINT NOT NULL)",
                """
                CREATE TABLE authorizer_otp_failures (
                  user_id TEXT NOT NULL REFERENCES authorizer_users(id) ON DELETE CASCADE,
                  at BIGINT NOT NULL
                )
                """,
                "ALTER TABLE authorizer_outbox ADD COLUMN code TEXT",
            ]
            for statement in statements { try await sql.raw("\(unsafeRaw: statement)").run() }
        }
    }
}

extension AuthorizerMigrations {
    /// Authorization codes of `/authorize` (`http_handlers/authorize.go`): single use, 10 minutes,
    /// bound to the PKCE challenge, the redirect URI, the client and the session they were issued in.
    struct CreateAuthorizationCodes: Migration {
        let name = "20261130000001_create_authorization_codes"

        func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws {
            try await sql.raw(
                """
                CREATE TABLE authorizer_authorization_codes (
                  code_hash TEXT PRIMARY KEY NOT NULL,
                  client_id TEXT NOT NULL,
                  redirect_uri TEXT NOT NULL,
                  challenge TEXT NOT NULL,
                  challenge_method TEXT NOT NULL,
                  session_nonce TEXT NOT NULL,
                  expires_at BIGINT NOT NULL
                )
                """
            ).run()
            // A magic link keeps the scope it was asked with (`magic_link_login.go`).
            try await sql.raw("ALTER TABLE authorizer_verification_requests ADD COLUMN scope TEXT").run()
        }
    }
}
