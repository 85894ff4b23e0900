extension AuthorizerSchema {
    /// The instance's settings, webhooks, clients, trusted issuers, SSO connections and organisations (part of ``sdl``).
    static let instanceTypes = """
        type Env {
          ACCESS_TOKEN_EXPIRY_TIME: String
          ADMIN_SECRET: String
          DATABASE_NAME: String
          DATABASE_URL: String
          DATABASE_TYPE: String
          DATABASE_USERNAME: String
          DATABASE_PASSWORD: String
          DATABASE_HOST: String
          DATABASE_PORT: String
          CLIENT_ID: String!
          CLIENT_SECRET: String!
          CUSTOM_ACCESS_TOKEN_SCRIPT: String
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
          REDIS_URL: String
          RESET_PASSWORD_URL: String
          DISABLE_EMAIL_VERIFICATION: Boolean!
          DISABLE_BASIC_AUTHENTICATION: Boolean!
          DISABLE_MOBILE_BASIC_AUTHENTICATION: Boolean!
          DISABLE_MAGIC_LINK_LOGIN: Boolean!
          DISABLE_LOGIN_PAGE: Boolean!
          DISABLE_SIGN_UP: Boolean!
          DISABLE_REDIS_FOR_ENV: Boolean!
          DISABLE_STRONG_PASSWORD: Boolean!
          DISABLE_MULTI_FACTOR_AUTHENTICATION: Boolean!
          ENFORCE_MULTI_FACTOR_AUTHENTICATION: Boolean!
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
          APP_COOKIE_SECURE: Boolean!
          ADMIN_COOKIE_SECURE: Boolean!
          DEFAULT_AUTHORIZE_RESPONSE_TYPE: String
          DEFAULT_AUTHORIZE_RESPONSE_MODE: String
          DISABLE_PLAYGROUND: Boolean!
          DISABLE_MAIL_OTP_LOGIN: Boolean!
          DISABLE_TOTP_LOGIN: Boolean!
        }

        type ValidateJWTTokenResponse {
          is_valid: Boolean!
          claims: Map
        }

        type ValidateSessionResponse {
          is_valid: Boolean!
          user: User!
        }

        type GenerateJWTKeysResponse {
          secret: String
          public_key: String
          private_key: String
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

        type Client {
          id: ID!
          client_id: String!
          name: String!
          description: String
          allowed_scopes: [String!]!
          is_active: Boolean!
          created_at: Int64
          updated_at: Int64
        }

        type CreateClientResponse {
          client: Client!
          client_secret: String!
        }

        type Clients {
          pagination: Pagination!
          clients: [Client!]!
        }

        type TrustedIssuer {
          id: ID!
          service_account_id: String!
          name: String!
          issuer_url: String!
          key_source_type: String!
          jwks_url: String
          expected_aud: String!
          subject_claim: String!
          allowed_subjects: String
          issuer_type: String!
          is_active: Boolean!
          spiffe_refresh_hint_seconds: Int64
          enable_token_review: Boolean!
          kubernetes_api_server_url: String
          created_at: Int64
          updated_at: Int64
        }

        type TrustedIssuers {
          pagination: Pagination!
          trusted_issuers: [TrustedIssuer!]!
        }

        type OrgOIDCConnection {
          id: ID!
          org_id: String!
          name: String!
          issuer_url: String!
          sso_client_id: String!
          scopes: String
          redirect_uri: String
          is_active: Boolean!
          created_at: Int64
          updated_at: Int64
        }

        type OrgSAMLConnection {
          id: ID!
          org_id: String!
          name: String!
          idp_entity_id: String!
          idp_sso_url: String
          sp_entity_id: String
          acs_url: String
          attribute_mapping: String
          allow_idp_initiated: Boolean!
          is_active: Boolean!
          created_at: Int64
          updated_at: Int64
        }

        type SAMLServiceProvider {
          id: ID!
          org_id: String!
          name: String!
          entity_id: String!
          acs_url: String!
          sp_cert_pem: String
          name_id_format: String
          mapped_attributes: String
          allow_idp_initiated: Boolean!
          is_active: Boolean!
          created_at: Int64
          updated_at: Int64
        }

        type SAMLServiceProviders {
          pagination: Pagination!
          saml_service_providers: [SAMLServiceProvider!]!
        }

        type SAMLIDPKey {
          id: ID!
          org_id: String!
          cert_pem: String!
          algorithm: String!
          status: String!
          created_at: Int64
          updated_at: Int64
        }

        type SAMLSPMetadataParseResult {
          entity_id: String!
          acs_url: String!
          certificate: String
        }

        type Organization {
          id: ID!
          name: String!
          display_name: String
          enabled: Boolean!
          created_at: Int64
          updated_at: Int64
        }

        type Organizations {
          pagination: Pagination!
          organizations: [Organization!]!
        }

        type UserOrganization {
          organization: Organization!
          roles: [String!]!
        }

        type UserOrganizations {
          pagination: Pagination!
          user_organizations: [UserOrganization!]!
        }
        """
}
