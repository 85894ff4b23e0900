/// Every GraphQL document the client sends, written with 2.x names; ``AuthorizerVersion/document(_:)``
/// turns them into 1.x documents. A test validates each against both real schemas.
public enum AuthorizerDocuments {
    static let userFields = """
        fragment UserFields on User {
          id email email_verified given_name family_name middle_name nickname picture roles
          signup_methods created_at updated_at revoked_timestamp
        }
        """

    /// `should_offer_email_otp_mfa_setup` is 2.4's; ``AuthorizerVersion/document(_:)`` drops it for
    /// older servers.
    static let authFields = """
        message should_show_email_otp_screen should_show_totp_screen should_offer_email_otp_mfa_setup \
        authenticator_scanner_image authenticator_secret authenticator_recovery_codes \
        access_token id_token refresh_token expires_in user { ...UserFields }
        """

    public static let meta = """
        query Meta {
          meta { version client_id is_sign_up_enabled is_email_verification_enabled is_strong_password_enabled is_multi_factor_auth_enabled is_magic_link_login_enabled }
        }
        """
    public static let signup = """
        mutation Signup($params: SignUpRequest!) { signup(params: $params) { \(authFields) } }
        \(userFields)
        """
    public static let login = """
        mutation Login($params: LoginRequest!) { login(params: $params) { \(authFields) } }
        \(userFields)
        """
    public static let logout = "mutation Logout { logout { message } }"
    public static let profile = """
        query Profile { profile { ...UserFields } }
        \(userFields)
        """
    public static let validateJWTToken = """
        query ValidateJWTToken($params: ValidateJWTTokenRequest!) { validate_jwt_token(params: $params) { is_valid claims } }
        """
    public static let updateProfile = """
        mutation UpdateProfile($params: UpdateProfileRequest!) { update_profile(params: $params) { message } }
        """
    public static let forgotPassword = """
        mutation ForgotPassword($params: ForgotPasswordRequest!) { forgot_password(params: $params) { message } }
        """
    public static let resetPassword = """
        mutation ResetPassword($params: ResetPasswordRequest!) { reset_password(params: $params) { message } }
        """
    public static let verifyEmail = """
        mutation VerifyEmail($params: VerifyEmailRequest!) { verify_email(params: $params) { \(authFields) } }
        \(userFields)
        """
    public static let user = """
        query User($params: GetUserRequest!) { _user(params: $params) { ...UserFields } }
        \(userFields)
        """

    public static let users = """
        query Users($params: ListUsersRequest) {
          _users(params: $params) { pagination { limit page offset total } users { ...UserFields } }
        }
        \(userFields)
        """

    public static let verifyOTP = """
        mutation VerifyOTP($params: VerifyOTPRequest!) { verify_otp(params: $params) { \(authFields) } }
        \(userFields)
        """
    public static let resendOTP = """
        mutation ResendOTP($params: ResendOTPRequest!) { resend_otp(params: $params) { message } }
        """
    public static let magicLinkLogin = """
        mutation MagicLinkLogin($params: MagicLinkLoginRequest!) { magic_link_login(params: $params) { message } }
        """
    /// 2.4 only.
    public static let skipMFASetup = """
        mutation SkipMFASetup($params: SkipMfaSetupRequest!) { skip_mfa_setup(params: $params) { \(authFields) } }
        \(userFields)
        """
    public static let emailOTPMFASetup = """
        mutation EmailOTPMFASetup($params: OtpMfaSetupRequest) { email_otp_mfa_setup(params: $params) { message } }
        """

    /// The documents only 2.4 answers, for the schema test.
    public static let onlyV24: [String: String] = ["skipMFASetup": skipMFASetup, "emailOTPMFASetup": emailOTPMFASetup]

    /// Every document, by name, for the schema test.
    public static let all: [String: String] = [
        "meta": meta, "signup": signup, "login": login, "logout": logout, "profile": profile,
        "validateJWTToken": validateJWTToken, "updateProfile": updateProfile, "forgotPassword": forgotPassword,
        "resetPassword": resetPassword, "verifyEmail": verifyEmail, "user": user, "users": users,
        "verifyOTP": verifyOTP, "resendOTP": resendOTP, "magicLinkLogin": magicLinkLogin,
    ]
}
