import Foundation
import SQLKit

/// What it takes to create a platform user.
public struct NewUser: Sendable {
    public var authorizerID: String
    public var email: String
    public var firstName: String?
    public var lastName: String?
    public var role: Role
    public var status: UserStatus
    public var tenantID: String?

    public init(
        authorizerID: String,
        email: String,
        firstName: String? = nil,
        lastName: String? = nil,
        role: Role = .user,
        status: UserStatus = .active,
        tenantID: String? = nil
    ) {
        self.authorizerID = authorizerID
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.role = role
        self.status = status
        self.tenantID = tenantID
    }
}
