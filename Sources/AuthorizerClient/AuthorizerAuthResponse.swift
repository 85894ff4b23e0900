import Foundation

/// Authorizer's `AuthResponse`.
public struct AuthorizerAuthResponse: Decodable, Sendable {
    public var message: String
    public var accessToken: String?
    public var idToken: String?
    public var refreshToken: String?
    /// Seconds until the access token expires.
    public var expiresIn: Int64?
    public var user: AuthorizerUserInfo?
    /// A one-time code was mailed: 2.4's login of an unverified user (`service/login.go`).
    public var shouldShowEmailOTPScreen: Bool?

    /// An answer carrying only a message and a user (a user read with `_user`).
    public init(message: String, user: AuthorizerUserInfo?) {
        self.message = message
        self.user = user
    }

    /// Authorizer's answer to signup with email verification on: a message, no user, no token,
    /// for a new address and a taken one alike (`service/signup.go`, 2.4).
    public var isAwaitingVerification: Bool { accessToken == nil && user == nil && shouldShowEmailOTPScreen != true }

    enum CodingKeys: String, CodingKey {
        case message, user
        case shouldShowEmailOTPScreen = "should_show_email_otp_screen"
        case accessToken = "access_token"
        case idToken = "id_token"
        case refreshToken = "refresh_token"
        case expiresIn = "expires_in"
    }
}
