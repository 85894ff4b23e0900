extension AuthorizerSchema {
    /// The inputs of settings, sign-up, login, profile, users and sessions (part of ``sdl``).
    static let accountInputs = """
        input UpdateEnvRequest {
          ACCESS_TOKEN_EXPIRY_TIME: String
          ADMIN_SECRET: String
          CUSTOM_ACCESS_TOKEN_SCRIPT: String
          OLD_ADMIN_SECRET: String
          SMTP_HOST: String
          SMTP_PORT: String
          SMTP_USERNAME: String
          SMTP_PASSWORD: String
          SMTP_LOCAL_NAME: String
          SENDER_EMAIL: String
          SENDER_NAME: String
          JWT_TYPE: String
          JWT_SECRET: String
          JWT_PRIVATE_KEY: String
          JWT_PUBLIC_KEY: String
          ALLOWED_ORIGINS: [String!]
          APP_URL: String
          RESET_PASSWORD_URL: String
          APP_COOKIE_SECURE: Boolean
          ADMIN_COOKIE_SECURE: Boolean
          DISABLE_EMAIL_VERIFICATION: Boolean
          DISABLE_BASIC_AUTHENTICATION: Boolean
          DISABLE_MOBILE_BASIC_AUTHENTICATION: Boolean
          DISABLE_MAGIC_LINK_LOGIN: Boolean
          DISABLE_LOGIN_PAGE: Boolean
          DISABLE_SIGN_UP: Boolean
          DISABLE_REDIS_FOR_ENV: Boolean
          DISABLE_STRONG_PASSWORD: Boolean
          DISABLE_MULTI_FACTOR_AUTHENTICATION: Boolean
          ENFORCE_MULTI_FACTOR_AUTHENTICATION: Boolean
          ROLES: [String!]
          PROTECTED_ROLES: [String!]
          DEFAULT_ROLES: [String!]
          JWT_ROLE_CLAIM: String
          GOOGLE_CLIENT_ID: String
          GOOGLE_CLIENT_SECRET: String
          GITHUB_CLIENT_ID: String
          GITHUB_CLIENT_SECRET: String
          FACEBOOK_CLIENT_ID: String
          FACEBOOK_CLIENT_SECRET: String
          LINKEDIN_CLIENT_ID: String
          LINKEDIN_CLIENT_SECRET: String
          APPLE_CLIENT_ID: String
          APPLE_CLIENT_SECRET: String
          DISCORD_CLIENT_ID: String
          DISCORD_CLIENT_SECRET: String
          TWITTER_CLIENT_ID: String
          TWITTER_CLIENT_SECRET: String
          MICROSOFT_CLIENT_ID: String
          MICROSOFT_CLIENT_SECRET: String
          MICROSOFT_ACTIVE_DIRECTORY_TENANT_ID: String
          TWITCH_CLIENT_ID: String
          TWITCH_CLIENT_SECRET: String
          ROBLOX_CLIENT_ID: String
          ROBLOX_CLIENT_SECRET: String
          ORGANIZATION_NAME: String
          ORGANIZATION_LOGO: String
          DEFAULT_AUTHORIZE_RESPONSE_TYPE: String
          DEFAULT_AUTHORIZE_RESPONSE_MODE: String
          DISABLE_PLAYGROUND: Boolean
          DISABLE_MAIL_OTP_LOGIN: Boolean
          DISABLE_TOTP_LOGIN: Boolean
        }

        input AdminLoginRequest {
          admin_secret: String!
        }

        input AdminSignupRequest {
          admin_secret: String!
        }

        input MobileSignUpRequest {
          email: String
          given_name: String
          family_name: String
          middle_name: String
          nickname: String
          gender: String
          birthdate: String
          phone_number: String!
          picture: String
          password: String!
          confirm_password: String!
          roles: [String!]
          scope: [String!]
          redirect_uri: String
          state: String
          app_data: Map
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

        input MobileLoginRequest {
          phone_number: String!
          password: String!
          roles: [String!]
          scope: [String!]
          state: String
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
          is_multi_factor_auth_enabled: Boolean
          app_data: Map
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
          is_multi_factor_auth_enabled: Boolean
          reset_mfa: Boolean
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

        input DeleteUserRequest {
          id: String!
        }

        input MagicLinkLoginRequest {
          email: String!
          roles: [String!]
          scope: [String!]
          state: String
          redirect_uri: String
        }

        input SessionQueryRequest {
          roles: [String!]
          scope: [String!]
          state: String
          required_relations: [FgaRelationInput!]
        }

        input PaginationRequest {
          limit: Int64
          page: Int64
        }
        """
}
