import Foundation
import SQLKit

/// A row of `users`. It has no password and no email-verified flag: Authorizer owns those.
public struct UserRecord: Sendable, Equatable {
    public internal(set) var id: String
    /// The user's id at Authorizer, the link between the two systems.
    public internal(set) var authorizerID: String
    public internal(set) var email: String
    public internal(set) var firstName: String?
    public internal(set) var lastName: String?
    public internal(set) var role: Role
    public internal(set) var status: UserStatus
    /// The tenant, or nil before the user has joined or created one.
    public internal(set) var tenantID: String?
    public internal(set) var createdAt: Date
    public internal(set) var updatedAt: Date
    public internal(set) var lastLoginAt: Date?

    static let columns = [
        "id", "authorizer_id", "email", "first_name", "last_name", "role", "status", "client_id",
        "created_at", "updated_at", "last_login_at",
    ]

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: String.self)
        authorizerID = try row.decode(column: "authorizer_id", as: String.self)
        email = try row.decode(column: "email", as: String.self)
        firstName = try row.decode(column: "first_name", as: String?.self)
        lastName = try row.decode(column: "last_name", as: String?.self)
        let roleText = try row.decode(column: "role", as: String.self)
        let statusText = try row.decode(column: "status", as: String.self)
        guard let role = Role(rawValue: roleText), let status = UserStatus(rawValue: statusText) else {
            throw PlatformDBError.constraintViolation("users row \(id) has role \(roleText), status \(statusText)")
        }
        self.role = role
        self.status = status
        tenantID = try row.decode(column: "client_id", as: String?.self)
        createdAt = try row.decode(column: "created_at", as: Date.self)
        updatedAt = try row.decode(column: "updated_at", as: Date.self)
        lastLoginAt = try row.decode(column: "last_login_at", as: Date?.self)
    }
}
