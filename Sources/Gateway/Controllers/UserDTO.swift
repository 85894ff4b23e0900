import Foundation
import Hummingbird
import PlatformDB

/// The platform user as the API shows it (camelCase, like every body of this API).
struct UserDTO: Codable, Sendable {
    var id: String
    var authorizerId: String
    var email: String
    var firstName: String?
    var lastName: String?
    var role: String
    var status: String
    var clientId: String?
    var createdAt: Date
    var lastLoginAt: Date?

    init(_ user: UserRecord) {
        id = user.id
        authorizerId = user.authorizerID
        email = user.email
        firstName = user.firstName
        lastName = user.lastName
        role = user.role.rawValue
        status = user.status.rawValue
        clientId = user.tenantID
        createdAt = user.createdAt
        lastLoginAt = user.lastLoginAt
    }
}

extension UserDTO: ResponseCodable {}
