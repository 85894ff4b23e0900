import Crypto
import Foundation
import SQLKit

/// A sign-in waiting for a second factor (``CreateSignInChallenges``).
public struct SignInChallenge: Sendable, Equatable {
    /// The account's email as Authorizer accepted it: 2.4 compares addresses exactly, so the
    /// second-factor calls must name it in the same case (`service/verify_otp.go`).
    public var email: String
    /// What the user does next: `mfa-enrol`, `mfa-verify` or `email-code`.
    public var step: String
    /// The `Cookie` header carrying Authorizer's MFA session; never sent to the client.
    public var authorizerCookie: String
    public var expiresAt: Date

    /// A challenge for `email` at `step`.
    public init(email: String, step: String, authorizerCookie: String, expiresAt: Date) {
        self.email = email
        self.step = step
        self.authorizerCookie = authorizerCookie
        self.expiresAt = expiresAt
    }
}

/// Sign-in challenges by handle: opened when Authorizer withholds the tokens, read and updated by
/// each step, closed when the tokens come. A handle is 256 random bits (base64url), stored as its
/// SHA-256 hash; an expired one reads as absent and is swept when the next one opens.
public struct SignInChallengeStore: Sendable {
    public let database: PlatformDatabase

    /// A store over `database`.
    public init(_ database: PlatformDatabase) {
        self.database = database
    }

    /// Stores `challenge` and returns its new handle.
    public func open(_ challenge: SignInChallenge, now: Date = Date()) async throws -> String {
        var generator = SystemRandomNumberGenerator()
        let handle = Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        try await database.withConnection { sql in
            try await sql.delete(from: "sign_in_challenges").where("expires_at", .lessThan, SQLBind(now)).run()
            try await sql.insert(into: "sign_in_challenges")
                .columns("handle_hash", "email", "step", "authorizer_cookie", "expires_at")
                .values(
                    SQLBind(Self.hash(handle)), SQLBind(challenge.email), SQLBind(challenge.step),
                    SQLBind(challenge.authorizerCookie), SQLBind(challenge.expiresAt)
                ).run()
        }
        return handle
    }

    /// The live challenge of `handle`, or nil (unknown or expired).
    public func find(handle: String, now: Date = Date()) async throws -> SignInChallenge? {
        try await database.withConnection { sql in
            try await sql.select().columns("email", "step", "authorizer_cookie", "expires_at")
                .from("sign_in_challenges").where("handle_hash", .equal, SQLBind(Self.hash(handle)))
                .where("expires_at", .greaterThan, SQLBind(now)).first()
                .map { row in
                    SignInChallenge(
                        email: try row.decode(column: "email", as: String.self),
                        step: try row.decode(column: "step", as: String.self),
                        authorizerCookie: try row.decode(column: "authorizer_cookie", as: String.self),
                        expiresAt: try row.decode(column: "expires_at", as: Date.self))
                }
        }
    }

    /// Replaces the step, cookie and expiry of `handle`'s challenge.
    public func update(handle: String, to challenge: SignInChallenge) async throws {
        try await database.withConnection { sql in
            try await sql.update("sign_in_challenges")
                .set("step", to: SQLBind(challenge.step))
                .set("authorizer_cookie", to: SQLBind(challenge.authorizerCookie))
                .set("expires_at", to: SQLBind(challenge.expiresAt))
                .where("handle_hash", .equal, SQLBind(Self.hash(handle))).run()
        }
    }

    /// Ends `handle`'s challenge.
    public func close(handle: String) async throws {
        try await database.withConnection { sql in
            try await sql.delete(from: "sign_in_challenges").where("handle_hash", .equal, SQLBind(Self.hash(handle)))
                .run()
        }
    }

    static func hash(_ handle: String) -> String {
        SHA256.hash(data: Data(handle.utf8)).lowercaseHex
    }
}
