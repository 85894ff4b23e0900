import Foundation
import Hummingbird
import PlatformDB

struct ProfilePatch: Decodable {
    var firstName: String?
    var lastName: String?
    static let fields: Set<String> = ["firstName", "lastName"]
}
