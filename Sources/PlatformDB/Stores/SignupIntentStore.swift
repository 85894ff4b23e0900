import Foundation
import SQLKit

/// Signup intents by email (``CreateSignupIntents``): recorded when Authorizer withholds the new
/// user, taken once when that user first signs in, ignored after ``lifetime``.
///
/// Authorizer answers a signup for a taken address exactly as for a new one, so anyone can make
/// a signup request for anyone's address. An intent therefore never replaces another, and it is
/// applied only to the Authorizer user its own signup made: one created within ``binding`` of it.
public struct SignupIntentStore: Sendable {
    public let database: PlatformDatabase

    /// A store over `database`.
    public init(_ database: PlatformDatabase) {
        self.database = database
    }

    /// Seven days, an invitation's own lifetime.
    public static let lifetime: TimeInterval = 7 * 24 * 3600
    /// How far apart the intent and its Authorizer user's `created_at` may be.
    public static let binding: TimeInterval = 60

    /// Records `intent` for `email` unless a live one is there (the first signup's wins); sweeps
    /// expired intents on the way.
    public func record(_ intent: SignupIntent, email: String, now: Date, on sql: any SQLDatabase) async throws {
        let (name, hash): (String?, String?) =
            switch intent {
            case .createTenant(let name): (name, nil)
            case .acceptInvitation(let tokenHash): (nil, tokenHash)
            }
        try await sql.delete(from: "signup_intents").where(
            "created_at", .lessThan, SQLBind(now.addingTimeInterval(-Self.lifetime))
        ).run()
        try await sql.raw(
            """
            INSERT INTO signup_intents (email, client_name, invitation_hash, created_at)
            VALUES (\(bind: email.lowercased()), \(bind: name), \(bind: hash), \(bind: now)) ON CONFLICT (email) DO NOTHING
            """
        ).run()
    }

    /// Removes `email`'s intent and returns it if it is younger than ``lifetime`` and was made
    /// with the Authorizer user created at `userCreatedAt` (Unix seconds).
    public func take(email: String, userCreatedAt: Int64?, now: Date, on sql: any SQLDatabase) async throws
        -> SignupIntent?
    {
        guard
            let row = try await sql.delete(from: "signup_intents").where("email", .equal, SQLBind(email.lowercased()))
                .returning("client_name", "invitation_hash", "created_at").first()
        else { return nil }
        let recorded = try row.decode(column: "created_at", as: Date.self)
        guard recorded > now.addingTimeInterval(-Self.lifetime), let userCreatedAt,
            abs(recorded.timeIntervalSince1970 - TimeInterval(userCreatedAt)) <= Self.binding
        else { return nil }
        if let name = try row.decode(column: "client_name", as: String?.self) { return .createTenant(name: name) }
        if let hash = try row.decode(column: "invitation_hash", as: String?.self) {
            return .acceptInvitation(tokenHash: hash)
        }
        return nil
    }

    /// The hash an invitation token is stored under.
    public static func invitationHash(_ token: String) -> String { InvitationStore.hash(token) }
}
