import Crypto
import Foundation
import JWTKit

/// What a verified access token says.
public struct VerifiedToken: Sendable {
    /// The user's id at Authorizer (`sub`).
    public var subject: String
    /// The session (`nonce`).
    public var sessionID: String?
    public var issuedAt: Date?
    public var expiresAt: Date
    public var roles: [String]
    public var claims: [String: JSONValue]

    /// Reads the claims of a token already checked by Authorizer itself (remote mode).
    public init(claims: [String: JSONValue]) throws(TokenRejection) {
        guard let subject = claims["sub"]?.string, !subject.isEmpty, let exp = claims["exp"]?.number else {
            throw .malformed
        }
        self.subject = subject
        self.sessionID = claims["nonce"]?.string
        self.issuedAt = claims["iat"]?.number.map { Date(timeIntervalSince1970: $0) }
        self.expiresAt = Date(timeIntervalSince1970: exp)
        self.roles = claims["roles"]?.array?.compactMap(\.string) ?? []
        self.claims = claims
    }
}
