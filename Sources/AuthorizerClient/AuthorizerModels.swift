/// A user as Authorizer's GraphQL API returns it (the fields the platform reads).
public struct AuthorizerUserInfo: Codable, Sendable, Equatable {
    public var id: String
    public var email: String?
    public var emailVerified: Bool
    public var givenName: String?
    public var familyName: String?
    public var roles: [String]
    /// Unix seconds.
    public var createdAt: Int64?
    public var updatedAt: Int64?
    public var revokedTimestamp: Int64?

    enum CodingKeys: String, CodingKey {
        case id, email, roles
        case emailVerified = "email_verified"
        case givenName = "given_name"
        case familyName = "family_name"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case revokedTimestamp = "revoked_timestamp"
    }

    public init(
        id: String, email: String?, emailVerified: Bool, givenName: String? = nil, familyName: String? = nil,
        roles: [String] = [], createdAt: Int64? = nil, updatedAt: Int64? = nil, revokedTimestamp: Int64? = nil
    ) {
        self.id = id
        self.email = email
        self.emailVerified = emailVerified
        self.givenName = givenName
        self.familyName = familyName
        self.roles = roles
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.revokedTimestamp = revokedTimestamp
    }
}

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

/// Authorizer's `Meta`: what the server is and allows.
public struct AuthorizerMeta: Decodable, Sendable {
    public var version: String
    public var clientID: String
    public var isSignUpEnabled: Bool
    public var isEmailVerificationEnabled: Bool
    public var isStrongPasswordEnabled: Bool
    public var isMultiFactorAuthEnabled: Bool

    enum CodingKeys: String, CodingKey {
        case version
        case clientID = "client_id"
        case isSignUpEnabled = "is_sign_up_enabled"
        case isEmailVerificationEnabled = "is_email_verification_enabled"
        case isStrongPasswordEnabled = "is_strong_password_enabled"
        case isMultiFactorAuthEnabled = "is_multi_factor_auth_enabled"
    }
}

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
