import Foundation
import Hummingbird
import PlatformDB

struct MessageDTO: Codable, Sendable {
    var message: String
}

extension MessageDTO: ResponseCodable {}
