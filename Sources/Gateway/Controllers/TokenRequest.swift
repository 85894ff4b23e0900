import Foundation
import Hummingbird
import PlatformDB

struct TokenRequest: Decodable {
    var token: String
    static let fields: Set<String> = ["token"]
}
