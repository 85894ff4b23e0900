import Foundation

/// The tokens of a refresh-token exchange at `/oauth/token`.
public struct AuthorizerTokenResponse: Decodable, Sendable {
    public var accessToken: String
    public var idToken: String?
    public var refreshToken: String?
    public var expiresIn: Int64?

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case idToken = "id_token"
        case refreshToken = "refresh_token"
        case expiresIn = "expires_in"
    }
}
