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

/// The answer of signup, login and email verification.
struct SessionDTO: Codable, Sendable {
    var accessToken: String?
    var refreshToken: String?
    /// Seconds until the access token expires.
    var expiresIn: Int64?
    var expiresAt: Date?
    var message: String
    var user: UserDTO
}

struct SignupRequest: Decodable {
    var email: String
    var password: String
    var confirmPassword: String
    var firstName: String?
    var lastName: String?
    var clientName: String?
    var invitationToken: String?
    static let fields: Set<String> = [
        "email", "password", "confirmPassword", "firstName", "lastName", "clientName", "invitationToken",
    ]
}

struct LoginRequest: Decodable {
    var email: String
    var password: String
    var offlineAccess: Bool?
    static let fields: Set<String> = ["email", "password", "offlineAccess"]
}

struct RefreshRequest: Decodable {
    var refreshToken: String
    static let fields: Set<String> = ["refreshToken"]
}

struct ProfilePatch: Decodable {
    var firstName: String?
    var lastName: String?
    static let fields: Set<String> = ["firstName", "lastName"]
}

struct EmailRequest: Decodable {
    var email: String
    static let fields: Set<String> = ["email"]
}

struct ResetPasswordRequest: Decodable {
    var token: String
    var password: String
    var confirmPassword: String
    static let fields: Set<String> = ["token", "password", "confirmPassword"]
}

struct TokenRequest: Decodable {
    var token: String
    static let fields: Set<String> = ["token"]
}

struct MessageDTO: Codable, Sendable {
    var message: String
}

struct VerifyDTO: Codable, Sendable {
    var valid: Bool
    var user: UserDTO?
    var reason: String?
}

extension SessionDTO {
    /// The answer of `/auth/refresh`.
    struct Tokens: ResponseCodable {
        var accessToken: String
        var refreshToken: String?
        var expiresIn: Int64?
    }
}

extension UserDTO: ResponseCodable {}
extension SessionDTO: ResponseCodable {}
extension MessageDTO: ResponseCodable {}
extension VerifyDTO: ResponseCodable {}
