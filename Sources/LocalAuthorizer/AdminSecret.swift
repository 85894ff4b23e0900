import Crypto
import Foundation
import GraphQL
import HTTPTypes
import Hummingbird
import Logging
import PlatformDB

/// Comparisons of the admin secret that take the same time wherever the strings differ.
enum AdminSecret {
    static func matches(_ given: String, _ expected: String) -> Bool {
        SHA256.hash(data: Data(given.utf8)) == SHA256.hash(data: Data(expected.utf8))  // digest == is constant-time
    }

    /// The `authorizer-admin` cookie holds a hash of the secret, never the secret itself.
    static func cookieValue(_ secret: String) -> String {
        SHA256.hash(data: Data(("authorizer-admin:" + secret).utf8)).lowercaseHex
    }
}
