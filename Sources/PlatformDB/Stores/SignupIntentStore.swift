import Foundation
import SQLKit

/// What a signup asked for: a new company, or an invitation (by its token's hash).
public enum SignupIntent: Sendable, Equatable {
    case createTenant(name: String)
    case acceptInvitation(tokenHash: String)
}

/// Signup intents by email (``CreateSignupIntents``): recorded when Authorizer withholds the new
/// user, taken once when that user first signs in, ignored after ``lifetime``.
public enum SignupIntentStore {
    /// Seven days, an invitation's own lifetime.
    public static let lifetime: TimeInterval = 7 * 24 * 3600

    /// Records `intent` for `email`, replacing an earlier one.
    public static func record(_ intent: SignupIntent, email: String, now: Date, on sql: any SQLDatabase) async throws {
        let (name, hash): (String?, String?) =
            switch intent {
            case .createTenant(let name): (name, nil)
            case .acceptInvitation(let tokenHash): (nil, tokenHash)
            }
        try await sql.delete(from: "signup_intents").where("email", .equal, SQLBind(email.lowercased())).run()
        try await sql.insert(into: "signup_intents")
            .columns("email", "client_name", "invitation_hash", "created_at")
            .values(SQLBind(email.lowercased()), SQLBind(name), SQLBind(hash), SQLBind(now))
            .run()
    }

    /// Removes and returns `email`'s intent if it is younger than ``lifetime``.
    public static func take(email: String, now: Date, on sql: any SQLDatabase) async throws -> SignupIntent? {
        guard let row = try await sql.delete(from: "signup_intents").where("email", .equal, SQLBind(email.lowercased()))
            .returning("client_name", "invitation_hash", "created_at").first()
        else { return nil }
        guard try row.decode(column: "created_at", as: Date.self) > now.addingTimeInterval(-lifetime) else { return nil }
        if let name = try row.decode(column: "client_name", as: String?.self) { return .createTenant(name: name) }
        if let hash = try row.decode(column: "invitation_hash", as: String?.self) { return .acceptInvitation(tokenHash: hash) }
        return nil
    }

    /// The hash an invitation token is stored under.
    public static func invitationHash(_ token: String) -> String { InvitationStore.hash(token) }
}
