extension AuthorizerSchema {
    /// Scalars, users, sessions, tokens and the permission model (part of ``sdl``).
    static let accountTypes = """
        scalar Int64
        scalar Map
        scalar Any

        type Pagination {
          limit: Int64!
          page: Int64!
          offset: Int64!
          total: Int64!
        }

        type Meta {
          version: String!
          client_id: String!
          is_google_login_enabled: Boolean!
          is_facebook_login_enabled: Boolean!
          is_github_login_enabled: Boolean!
          is_linkedin_login_enabled: Boolean!
          is_apple_login_enabled: Boolean!
          is_discord_login_enabled: Boolean!
          is_twitter_login_enabled: Boolean!
          is_microsoft_login_enabled: Boolean!
          is_twitch_login_enabled: Boolean!
          is_roblox_login_enabled: Boolean!
          is_email_verification_enabled: Boolean!
          is_basic_authentication_enabled: Boolean!
          is_magic_link_login_enabled: Boolean!
          is_sign_up_enabled: Boolean!
          is_strong_password_enabled: Boolean!
          is_multi_factor_auth_enabled: Boolean!
          is_mobile_basic_authentication_enabled: Boolean!
          is_phone_verification_enabled: Boolean!
          is_org_discovery_enabled: Boolean!
          is_totp_mfa_enabled: Boolean!
          is_email_otp_mfa_enabled: Boolean!
          is_sms_otp_mfa_enabled: Boolean!
          is_webauthn_enabled: Boolean!
          is_mfa_enforced: Boolean!
        }

        type AdminMeta {
          roles: [String!]!
          default_roles: [String!]!
          protected_roles: [String!]!
          is_multi_factor_auth_service_enabled: Boolean!
        }

        type User {
          id: ID!
          email: String
          email_verified: Boolean!
          signup_methods: String!
          given_name: String
          family_name: String
          middle_name: String
          nickname: String
          preferred_username: String
          gender: String
          birthdate: String
          phone_number: String
          phone_number_verified: Boolean!
          picture: String
          roles: [String!]!
          created_at: Int64
          updated_at: Int64
          revoked_timestamp: Int64
          is_multi_factor_auth_enabled: Boolean
          has_skipped_mfa_setup_at: Int64
          mfa_locked_at: Int64
          enrolled_mfa_methods: [String!]!
          app_data: Map
        }

        type Users {
          pagination: Pagination!
          users: [User!]!
        }

        type VerificationRequest {
          id: ID!
          identifier: String
          token: String
          email: String
          expires: Int64
          created_at: Int64
          updated_at: Int64
          nonce: String
          redirect_uri: String
        }

        type VerificationRequests {
          pagination: Pagination!
          verification_requests: [VerificationRequest!]!
        }

        type Error {
          message: String!
          reason: String!
        }

        type AuthResponse {
          message: String!
          should_show_email_otp_screen: Boolean
          should_show_mobile_otp_screen: Boolean
          should_show_totp_screen: Boolean
          should_offer_webauthn_mfa_verify: Boolean
          should_offer_mfa_setup: Boolean
          should_offer_webauthn_mfa_setup: Boolean
          should_offer_email_otp_mfa_setup: Boolean
          should_offer_sms_otp_mfa_setup: Boolean
          access_token: String
          id_token: String
          refresh_token: String
          expires_in: Int64
          user: User
          authenticator_scanner_image: String
          authenticator_secret: String
          authenticator_recovery_codes: [String]
        }

        type Response {
          message: String!
        }

        type WebauthnRegistrationOptionsResponse {
          options: String!
        }

        type WebauthnLoginOptionsResponse {
          options: String!
        }

        type WebauthnCredentialInfo {
          id: ID!
          name: String!
          transports: [String!]
          created_at: Int64
          updated_at: Int64
          last_used_at: Int64
        }

        input WebauthnRegistrationVerifyRequest {
          name: String
          credential: String!
          email: String
          phone_number: String
          state: String
        }

        input WebauthnLoginVerifyRequest {
          state: String
          credential: String!
        }

        type FgaTuple {
          user: String!
          relation: String!
          object: String!
        }

        type FgaModel {
          id: String!
          dsl: String!
        }

        type FgaTuples {
          tuples: [FgaTuple!]!
          continuation_token: String
        }

        type PermissionCheckResult {
          relation: String!
          object: String!
          allowed: Boolean!
        }

        type CheckPermissionsResponse {
          results: [PermissionCheckResult!]!
        }

        type Permission {
          object: String!
          relation: String!
        }

        type ListPermissionsResponse {
          objects: [String!]!
          permissions: [Permission!]!
          truncated: Boolean!
        }

        type FgaListUsersResponse {
          users: [String!]!
        }

        type FgaExpandResponse {
          tree: String!
        }

        type ForgotPasswordResponse {
          message: String!
          should_show_mobile_otp_screen: Boolean
        }

        type InviteMembersResponse {
          message: String!
          Users: [User!]!
        }
        """
}
