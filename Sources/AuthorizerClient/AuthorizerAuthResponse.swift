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
    /// A one-time code was mailed: 2.4's login of an unverified user, or an enrolled email OTP
    /// (`service/login.go`).
    public var shouldShowEmailOTPScreen: Bool?
    /// An authenticator-app code is asked for (enrolment or verification).
    public var shouldShowTOTPScreen: Bool?
    /// Email OTP may be enrolled instead (2.4 only).
    public var shouldOfferEmailOTPSetup: Bool?
    /// A TOTP enrolment: the QR code of the key URI (a PNG, base64: plain in 2.4, whatever a
    /// server sends is passed through ``scannerImageDataURL``), the secret (base32), recovery codes.
    public var authenticatorScannerImage: String?
    public var authenticatorSecret: String?
    public var authenticatorRecoveryCodes: [String]?
    /// The `Cookie` header carrying the MFA session Authorizer set with this answer (not JSON).
    public var mfaCookie: String?
    /// That session's lifetime, seconds (the cookie's `Max-Age`: 3 minutes at a gate, 1 beside a
    /// mailed code, `internal/cookie/mfa_session.go`).
    public var mfaCookieLifetime: Int?

    /// The scanner image as a `data:` URL, whether Authorizer sent plain base64 (2.4's
    /// `internal/authenticators/totp/totp.go`) or a URL already.
    public var scannerImageDataURL: String? {
        guard let image = authenticatorScannerImage, !image.isEmpty else { return nil }
        return image.hasPrefix("data:") ? image : "data:image/png;base64," + image
    }

    /// Authorizer withholds the tokens until a factor is given or set up: an MFA gate (message
    /// "Proceed to mfa setup" / "Proceed to mfa verification") or a mailed code.
    public var isMFAStep: Bool {
        accessToken == nil
            && (shouldShowTOTPScreen == true || shouldShowEmailOTPScreen == true
                || message.lowercased().contains("mfa"))
    }

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
        case shouldShowTOTPScreen = "should_show_totp_screen"
        case shouldOfferEmailOTPSetup = "should_offer_email_otp_mfa_setup"
        case authenticatorScannerImage = "authenticator_scanner_image"
        case authenticatorSecret = "authenticator_secret"
        case authenticatorRecoveryCodes = "authenticator_recovery_codes"
        case accessToken = "access_token"
        case idToken = "id_token"
        case refreshToken = "refresh_token"
        case expiresIn = "expires_in"
    }
}
