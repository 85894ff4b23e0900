import Foundation
import Hummingbird
import PlatformDB

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

extension SessionDTO {
    /// The answer of `/auth/refresh`.
    struct Tokens: ResponseCodable {
        var accessToken: String
        var refreshToken: String?
        var expiresIn: Int64?
    }
}

extension SessionDTO: ResponseCodable {}
