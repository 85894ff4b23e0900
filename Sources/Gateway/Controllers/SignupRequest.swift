import Foundation
import Hummingbird
import PlatformDB

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
