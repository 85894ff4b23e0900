import Foundation
import Hummingbird
import PlatformDB

struct EmailRequest: Decodable {
    var email: String
    static let fields: Set<String> = ["email"]
}
