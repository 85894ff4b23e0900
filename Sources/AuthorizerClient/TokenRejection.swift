import Crypto
import Foundation
import JWTKit

/// Why a token was refused; logged and counted, never shown with the token.
public enum TokenRejection: String, Error, Sendable, CaseIterable {
    case malformed
    case algorithmNotAllowed = "algorithm_not_allowed"
    case badSignature = "bad_signature"
    case expired
    case notYetValid = "not_yet_valid"
    case wrongIssuer = "wrong_issuer"
    case wrongAudience = "wrong_audience"
    case wrongTokenType = "wrong_token_type"
    case keysUnavailable = "keys_unavailable"
    case revoked
}
