import Foundation
import Hummingbird
import PlatformDB

struct VerifyDTO: Codable, Sendable {
    var valid: Bool
    var user: UserDTO?
    var reason: String?
}

extension VerifyDTO: ResponseCodable {}
