import Foundation

/// Authorizer's `Meta`: what the server is and allows.
public struct AuthorizerMeta: Decodable, Sendable {
    public var version: String
    public var clientID: String
    public var isSignUpEnabled: Bool
    public var isEmailVerificationEnabled: Bool
    public var isStrongPasswordEnabled: Bool
    public var isMultiFactorAuthEnabled: Bool
    public var isMagicLinkLoginEnabled: Bool

    enum CodingKeys: String, CodingKey {
        case version
        case clientID = "client_id"
        case isSignUpEnabled = "is_sign_up_enabled"
        case isEmailVerificationEnabled = "is_email_verification_enabled"
        case isStrongPasswordEnabled = "is_strong_password_enabled"
        case isMultiFactorAuthEnabled = "is_multi_factor_auth_enabled"
        case isMagicLinkLoginEnabled = "is_magic_link_login_enabled"
    }
}
