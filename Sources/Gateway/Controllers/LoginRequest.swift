import Foundation
import Hummingbird
import PlatformDB

struct LoginRequest: Decodable {
    var email: String
    var password: String
    var offlineAccess: Bool?
    static let fields: Set<String> = ["email", "password", "offlineAccess"]
}
