import Crypto
import Foundation
import SQLKit

/// A row of `invitations` (never its token).
public struct InvitationRecord: Sendable, Equatable {
    public let id: String
    public let email: String
    public let role: Role
    public let createdAt: Date
    public let expiresAt: Date
    public let acceptedAt: Date?
    public let revokedAt: Date?

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: String.self)
        email = try row.decode(column: "email", as: String.self)
        role = Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .user
        createdAt = try row.decode(column: "created_at", as: Date.self)
        expiresAt = try row.decode(column: "expires_at", as: Date.self)
        acceptedAt = try row.decode(column: "accepted_at", as: Date?.self)
        revokedAt = try row.decode(column: "revoked_at", as: Date?.self)
    }
}
