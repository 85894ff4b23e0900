/// The GraphQL schema this server serves: a subset of Authorizer 2.4.0's own schema, with the
/// same type, field and argument names and types (a test compares it with the real one), plus the
/// 1.x input type names so that 1.x documents validate too (see ``LegacyInputNames``).
enum AuthorizerSchema {
    static let sdl = """
        scalar Int64
        scalar Map

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
          enrolled_mfa_methods: [String!]!
          app_data: Map
        }

        type Pagination {
          limit: Int64!
          page: Int64!
          offset: Int64!
          total: Int64!
        }

        type Users {
          pagination: Pagination!
          users: [User!]!
        }

        type AuthResponse {
          message: String!
          should_show_email_otp_screen: Boolean
          should_show_mobile_otp_screen: Boolean
          should_show_totp_screen: Boolean
          should_offer_mfa_setup: Boolean
          access_token: String
          id_token: String
          refresh_token: String
          expires_in: Int64
          user: User
        }

        type Response {
          message: String!
        }

        type ValidateSessionResponse {
          is_valid: Boolean!
          user: User!
        }

        type ForgotPasswordResponse {
          message: String!
          should_show_mobile_otp_screen: Boolean
        }

        type ValidateJWTTokenResponse {
          is_valid: Boolean!
          claims: Map
        }

        type Webhook {
          id: ID!
          event_name: String
          event_description: String
          endpoint: String
          enabled: Boolean
          headers: Map
          created_at: Int64
          updated_at: Int64
        }

        type Webhooks {
          pagination: Pagination!
          webhooks: [Webhook!]!
        }

        type WebhookLog {
          id: ID!
          http_status: Int64
          response: String
          request: String
          webhook_id: ID
          created_at: Int64
          updated_at: Int64
        }

        type WebhookLogs {
          pagination: Pagination!
          webhook_logs: [WebhookLog!]!
        }

        input SignUpRequest {
          email: String
          given_name: String
          family_name: String
          middle_name: String
          nickname: String
          gender: String
          birthdate: String
          phone_number: String
          picture: String
          password: String!
          confirm_password: String!
          roles: [String!]
          scope: [String!]
          redirect_uri: String
          state: String
          app_data: Map
        }

        input LoginRequest {
          email: String
          phone_number: String
          password: String!
          roles: [String!]
          scope: [String!]
          state: String
        }

        input ValidateJWTTokenRequest {
          token_type: String!
          token: String!
          roles: [String!]
        }

        input SessionQueryRequest {
          roles: [String!]
          scope: [String!]
          state: String
        }

        input ValidateSessionRequest {
          cookie: String!
          roles: [String!]
        }

        input UpdateProfileRequest {
          old_password: String
          new_password: String
          confirm_new_password: String
          email: String
          given_name: String
          family_name: String
          middle_name: String
          nickname: String
          gender: String
          birthdate: String
          phone_number: String
          picture: String
          app_data: Map
        }

        input ForgotPasswordRequest {
          email: String
          phone_number: String
          state: String
          redirect_uri: String
        }

        input ResetPasswordRequest {
          token: String
          otp: String
          phone_number: String
          password: String!
          confirm_password: String!
        }

        input VerifyEmailRequest {
          token: String!
          state: String
        }

        input ResendVerifyEmailRequest {
          email: String!
          identifier: String!
          state: String
        }

        input OAuthRevokeRequest {
          refresh_token: String!
        }

        input UpdateWebhookRequest {
          id: ID!
          event_name: String
          event_description: String
          endpoint: String
          enabled: Boolean
          headers: Map
        }

        input AdminLoginRequest {
          admin_secret: String!
        }

        input PaginationRequest {
          limit: Int64
          page: Int64
        }

        input ListUsersRequest {
          pagination: PaginationRequest
          query: String
        }

        input GetUserRequest {
          id: String
          email: String
        }

        input UpdateUserRequest {
          id: ID!
          email: String
          email_verified: Boolean
          given_name: String
          family_name: String
          middle_name: String
          nickname: String
          gender: String
          birthdate: String
          phone_number: String
          phone_number_verified: Boolean
          picture: String
          roles: [String]
          app_data: Map
        }

        input DeleteUserRequest {
          id: String!
        }

        input UpdateAccessRequest {
          user_id: String!
        }

        input AddWebhookRequest {
          event_name: String!
          event_description: String
          endpoint: String!
          enabled: Boolean!
          headers: Map
        }

        input WebhookRequest {
          id: ID!
        }

        input ListWebhookLogRequest {
          pagination: PaginationRequest
          webhook_id: String
        }

        type Query {
          meta: Meta!
          session(params: SessionQueryRequest): AuthResponse!
          profile: User!
          validate_jwt_token(params: ValidateJWTTokenRequest!): ValidateJWTTokenResponse!
          validate_session(params: ValidateSessionRequest): ValidateSessionResponse!
          _users(params: ListUsersRequest): Users!
          _user(params: GetUserRequest!): User!
          _admin_session: Response!
          _webhook(params: WebhookRequest!): Webhook!
          _webhooks(params: PaginationRequest): Webhooks!
          _webhook_logs(params: ListWebhookLogRequest): WebhookLogs!
        }

        type Mutation {
          signup(params: SignUpRequest!): AuthResponse!
          login(params: LoginRequest!): AuthResponse!
          logout: Response!
          update_profile(params: UpdateProfileRequest!): Response!
          verify_email(params: VerifyEmailRequest!): AuthResponse!
          resend_verify_email(params: ResendVerifyEmailRequest!): Response!
          forgot_password(params: ForgotPasswordRequest!): ForgotPasswordResponse!
          reset_password(params: ResetPasswordRequest!): Response!
          revoke(params: OAuthRevokeRequest!): Response!
          deactivate_account: Response!
          _delete_user(params: DeleteUserRequest!): Response!
          _update_user(params: UpdateUserRequest!): User!
          _revoke_access(param: UpdateAccessRequest!): Response!
          _enable_access(param: UpdateAccessRequest!): Response!
          _admin_login(params: AdminLoginRequest!): Response!
          _admin_logout: Response!
          _add_webhook(params: AddWebhookRequest!): Response!
          _update_webhook(params: UpdateWebhookRequest!): Response!
          _delete_webhook(params: WebhookRequest!): Response!
        }
        """
}
