import Foundation
import PlatformDB
import SQLKit

/// A factor a user set up (`authorizer_authenticators`): `totp` with its secret and recovery-code
/// hashes, or `email_otp`. Enrolled once `verifiedAt` is set.
struct Authenticator: Sendable {
    var method: String
    var secret: String? = nil
    var pendingSecret: String? = nil
    /// The recovery codes of the pending secret, which replace the others when it is proven.
    var pendingRecoveryCodeHashes: [String]? = nil
    var recoveryCodeHashes: [String]
    var verifiedAt: Int64? = nil
}

/// An MFA session, the server side of the `mfa_session` cookie (`internal/cookie/mfa_session.go`):
/// `verified` after a password (or a verified link), `challenge` when only a code was mailed.
struct MFASession: Sendable {
    var userID: String
    var purpose: String
    var scope: [String]
}

extension AuthorizerStore {
    func authenticators(userID: String) async throws -> [Authenticator] {
        try await database.withConnection { sql in
            try await sql.select()
                .columns(
                    "method", "secret", "pending_secret", "pending_recovery_codes", "recovery_codes", "verified_at"
                )
                .from("authorizer_authenticators").where("user_id", .equal, SQLBind(userID)).all()
                .map { row in
                    Authenticator(
                        method: try row.decode(column: "method", as: String.self),
                        secret: try row.decode(column: "secret", as: String?.self),
                        pendingSecret: try row.decode(column: "pending_secret", as: String?.self),
                        pendingRecoveryCodeHashes: try row.decode(column: "pending_recovery_codes", as: String?.self)?
                            .split(separator: ",").map(String.init),
                        recoveryCodeHashes: try row.decode(column: "recovery_codes", as: String.self)
                            .split(separator: ",").map(String.init),
                        verifiedAt: try row.decode(column: "verified_at", as: Int64?.self))
                }
        }
    }

    /// Writes `authenticator` for `userID`, replacing the row of the same method.
    func save(_ authenticator: Authenticator, userID: String) async throws {
        try await database.withConnection { sql in
            try await sql.delete(from: "authorizer_authenticators").where("user_id", .equal, SQLBind(userID))
                .where("method", .equal, SQLBind(authenticator.method)).run()
            try await sql.insert(into: "authorizer_authenticators")
                .columns(
                    "user_id", "method", "secret", "pending_secret", "pending_recovery_codes", "recovery_codes",
                    "verified_at"
                )
                .values(
                    SQLBind(userID), SQLBind(authenticator.method), SQLBind(authenticator.secret),
                    SQLBind(authenticator.pendingSecret),
                    SQLBind(authenticator.pendingRecoveryCodeHashes?.joined(separator: ",")),
                    SQLBind(authenticator.recoveryCodeHashes.joined(separator: ",")), SQLBind(authenticator.verifiedAt)
                ).run()
        }
    }

    /// Spends one recovery code: true once, for the first caller, when its hash is among the user's.
    func spendRecoveryCode(userID: String, hash: String) async throws -> Bool {
        try await database.withConnection { sql in
            guard
                let row = try await sql.select().column("recovery_codes").from("authorizer_authenticators")
                    .where("user_id", .equal, SQLBind(userID)).where("method", .equal, SQLBind("totp")).first()
            else { return false }
            let stored = try row.decode(column: "recovery_codes", as: String.self)
            var hashes = stored.split(separator: ",").map(String.init)
            guard let index = hashes.firstIndex(of: hash) else { return false }
            hashes.remove(at: index)
            // Compare-and-set on the old list, so two concurrent uses cannot both succeed.
            let changed = try await sql.update("authorizer_authenticators")
                .set("recovery_codes", to: SQLBind(hashes.joined(separator: ",")))
                .where("user_id", .equal, SQLBind(userID)).where("method", .equal, SQLBind("totp"))
                .where("recovery_codes", .equal, SQLBind(stored))
                .returning("user_id").all()
            return !changed.isEmpty
        }
    }

    /// The skip and lock marks: (skippedAt, lockedAt).
    func mfaMarks(userID: String) async throws -> (skippedAt: Int64?, lockedAt: Int64?) {
        try await database.withConnection { sql in
            guard
                let row = try await sql.select().columns("skipped_at", "locked_at").from("authorizer_mfa_marks")
                    .where("user_id", .equal, SQLBind(userID)).first()
            else { return (nil, nil) }
            return (
                try row.decode(column: "skipped_at", as: Int64?.self),
                try row.decode(column: "locked_at", as: Int64?.self)
            )
        }
    }

    func setMFAMarks(userID: String, skippedAt: Int64?, lockedAt: Int64?) async throws {
        try await database.withConnection { sql in
            try await sql.delete(from: "authorizer_mfa_marks").where("user_id", .equal, SQLBind(userID)).run()
            try await sql.insert(into: "authorizer_mfa_marks").columns("user_id", "skipped_at", "locked_at")
                .values(SQLBind(userID), SQLBind(skippedAt), SQLBind(lockedAt)).run()
        }
    }

    /// Starts an MFA session and returns its cookie value.
    func createMFASession(_ session: MFASession, expiresAt: Int64) async throws -> String {
        let cookie = UUID().uuidString.lowercased()
        try await database.withConnection { sql in
            try await sql.insert(into: "authorizer_mfa_sessions")
                .columns("id_hash", "user_id", "purpose", "scope", "expires_at")
                .values(
                    SQLBind(Self.hash(cookie)), SQLBind(session.userID), SQLBind(session.purpose),
                    SQLBind(session.scope.joined(separator: " ")), SQLBind(expiresAt)
                ).run()
        }
        return cookie
    }

    /// The live MFA session behind `cookie`.
    func mfaSession(cookie: String, now: Int64) async throws -> MFASession? {
        try await database.withConnection { sql in
            try await sql.select().columns("user_id", "purpose", "scope").from("authorizer_mfa_sessions")
                .where("id_hash", .equal, SQLBind(Self.hash(cookie))).where("expires_at", .greaterThan, SQLBind(now))
                .first()
                .map { row in
                    MFASession(
                        userID: try row.decode(column: "user_id", as: String.self),
                        purpose: try row.decode(column: "purpose", as: String.self),
                        scope: try row.decode(column: "scope", as: String.self).split(separator: " ").map(String.init))
                }
        }
    }

    /// Ends the MFA session behind `cookie`; false when another request ended it first.
    func endMFASession(cookie: String) async throws -> Bool {
        try await database.withConnection { sql in
            try await !sql.delete(from: "authorizer_mfa_sessions")
                .where("id_hash", .equal, SQLBind(Self.hash(cookie))).returning("user_id").all().isEmpty
        }
    }

    /// Replaces the user's mailed code.
    func setOTP(userID: String, codeHash: String, expiresAt: Int64) async throws {
        try await database.withConnection { sql in
            try await sql.delete(from: "authorizer_otps").where("user_id", .equal, SQLBind(userID)).run()
            try await sql.insert(into: "authorizer_otps").columns("user_id", "code_hash", "expires_at")
                .values(SQLBind(userID), SQLBind(codeHash), SQLBind(expiresAt)).run()
        }
    }

    func otp(userID: String) async throws -> (codeHash: String, expiresAt: Int64)? {
        try await database.withConnection { sql in
            try await sql.select().columns("code_hash", "expires_at").from("authorizer_otps")
                .where("user_id", .equal, SQLBind(userID)).first()
                .map {
                    (
                        try $0.decode(column: "code_hash", as: String.self),
                        try $0.decode(column: "expires_at", as: Int64.self)
                    )
                }
        }
    }

    /// Deletes the user's mailed code if it is still `codeHash`; false when it was spent already.
    func spendOTP(userID: String, codeHash: String) async throws -> Bool {
        try await database.withConnection { sql in
            try await !sql.delete(from: "authorizer_otps").where("user_id", .equal, SQLBind(userID))
                .where("code_hash", .equal, SQLBind(codeHash)).returning("user_id").all().isEmpty
        }
    }

    /// Claims `key` (a spent TOTP code) until `expiresAt`; false when it is claimed already.
    func claimSpentCode(_ key: String, now: Int64, expiresAt: Int64) async throws -> Bool {
        try await database.withConnection { sql in
            try await sql.delete(from: "authorizer_spent_codes").where("expires_at", .lessThanOrEqual, SQLBind(now))
                .run()
            let claimed = try await sql.raw(
                """
                INSERT INTO authorizer_spent_codes (code_key, expires_at) VALUES (\(bind: key), \(bind: expiresAt))
                ON CONFLICT (code_key) DO NOTHING RETURNING code_key
                """
            ).all()
            return !claimed.isEmpty
        }
    }

    /// Counts a code attempt (verify_otp.go counts before it checks).
    func recordOTPAttempt(userID: String, at now: Int64) async throws {
        try await database.withConnection { sql in
            try await sql.insert(into: "authorizer_otp_failures").columns("user_id", "at")
                .values(SQLBind(userID), SQLBind(now)).run()
        }
    }

    func clearOTPAttempts(userID: String) async throws {
        try await database.withConnection { sql in
            try await sql.delete(from: "authorizer_otp_failures").where("user_id", .equal, SQLBind(userID)).run()
        }
    }

    func otpAttempts(userID: String, since: Int64) async throws -> Int {
        try await database.withConnection { sql in
            try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("authorizer_otp_failures").where("user_id", .equal, SQLBind(userID))
                .where("at", .greaterThan, SQLBind(since)).first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }
}
