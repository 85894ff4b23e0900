import AuthorizerClient
import Crypto
import CryptoExtras
import Foundation
import JWTKit

/// A setting that makes the server unable to start, named in the message.
struct AuthorizerSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
