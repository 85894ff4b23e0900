import Foundation
import Hummingbird
import PlatformDB

struct ResetPasswordRequest: Decodable {
    var token: String
    var password: String
    var confirmPassword: String
    static let fields: Set<String> = ["token", "password", "confirmPassword"]
}
