import Foundation
import Hummingbird
import PlatformDB

struct RefreshRequest: Decodable {
    var refreshToken: String
    static let fields: Set<String> = ["refreshToken"]
}
