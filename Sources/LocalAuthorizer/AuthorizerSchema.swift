/// The GraphQL schema this server serves: Authorizer 2.4.0's whole schema (`internal/graph/schema.graphqls`
/// at tag 2.4.0), written without its comments. A test compares the served introspection with the
/// project's fixture of that file, both ways. 1.x documents validate too: their input names are
/// rewritten before validation (see ``LegacyInputNames``).
enum AuthorizerSchema {
    static let sdl = """
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

        type ScimEndpoint {
          id: ID!
          org_id: String!
          enabled: Boolean!
          created_at: Int64
          updated_at: Int64
        }

        type CreateScimEndpointResponse {
          scim_endpoint: ScimEndpoint!
          token: String!
        }

        type OrgMember {
          id: ID!
          org_id: String!
          user_id: String!
          email: String
          given_name: String
          family_name: String
          roles: [String!]!
          created_at: Int64
          updated_at: Int64
        }

        type OrgMembers {
          pagination: Pagination!
          org_members: [OrgMember!]!
        }

        type OrgDomain {
          domain: String!
          org_id: String!
          verified_at: Int64
          created_at: Int64
          updated_at: Int64
        }

        type OrgDomains {
          pagination: Pagination!
          org_domains: [OrgDomain!]!
        }

        type OrgDomainChallenge {
          domain: String!
          record_type: String!
          record_name: String!
          record_value: String!
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

        type TestEndpointResponse {
          http_status: Int64
          response: String
        }

        type WebhookLogs {
          pagination: Pagination!
          webhook_logs: [WebhookLog!]!
        }

        type AuditLog {
          id: ID!
          actor_id: String
          actor_type: String
          actor_email: String
          action: String
          resource_type: String
          resource_id: String
          ip_address: String
          user_agent: String
          metadata: String
          created_at: Int64
        }

        type AuditLogs {
          pagination: Pagination!
          audit_logs: [AuditLog!]!
        }

        type EmailTemplate {
          id: ID!
          event_name: String!
          template: String!
          design: String!
          subject: String!
          created_at: Int64
          updated_at: Int64
        }

        type EmailTemplates {
          pagination: Pagination!
          email_templates: [EmailTemplate!]!
        }

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

        input ListUsersRequest {
          pagination: PaginationRequest
          query: String
        }

        input UserOrganizationsRequest {
          user_id: String!
          pagination: PaginationRequest
        }

        input OAuthRevokeRequest {
          refresh_token: String!
        }

        input InviteMemberRequest {
          emails: [String!]!
          redirect_uri: String
        }

        input UpdateAccessRequest {
          user_id: String!
        }

        input ValidateJWTTokenRequest {
          token_type: String!
          token: String!
          roles: [String!]
          required_relations: [FgaRelationInput!]
        }

        input ValidateSessionRequest {
          cookie: String!
          roles: [String!]
          required_relations: [FgaRelationInput!]
        }

        input GenerateJWTKeysRequest {
          type: String!
        }

        input ListWebhookLogRequest {
          pagination: PaginationRequest
          webhook_id: String
        }

        input ListAuditLogRequest {
          pagination: PaginationRequest
          action: String
          actor_id: String
          resource_type: String
          resource_id: String
          from_timestamp: Int64
          to_timestamp: Int64
        }

        input AddWebhookRequest {
          event_name: String!
          event_description: String
          endpoint: String!
          enabled: Boolean!
          headers: Map
        }

        input UpdateWebhookRequest {
          id: ID!
          event_name: String
          event_description: String
          endpoint: String
          enabled: Boolean
          headers: Map
        }

        input WebhookRequest {
          id: ID!
        }

        input CreateClientRequest {
          name: String!
          description: String
          allowed_scopes: [String!]!
        }

        input UpdateClientRequest {
          id: ID!
          name: String
          description: String
          allowed_scopes: [String!]
          is_active: Boolean
        }

        input ClientRequest {
          id: ID!
        }

        input ListClientsRequest {
          pagination: PaginationRequest
        }

        input AddTrustedIssuerRequest {
          service_account_id: String!
          name: String!
          issuer_url: String!
          key_source_type: String!
          jwks_url: String
          expected_aud: String!
          subject_claim: String
          allowed_subjects: String
          issuer_type: String!
          spiffe_refresh_hint_seconds: Int64
          enable_token_review: Boolean
          kubernetes_api_server_url: String
        }

        input UpdateTrustedIssuerRequest {
          id: ID!
          name: String
          jwks_url: String
          expected_aud: String
          allowed_subjects: String
          is_active: Boolean
          spiffe_refresh_hint_seconds: Int64
          enable_token_review: Boolean
          kubernetes_api_server_url: String
        }

        input TrustedIssuerRequest {
          id: ID!
        }

        input ListTrustedIssuersRequest {
          service_account_id: String
          pagination: PaginationRequest
        }

        input CreateOrgOIDCConnectionRequest {
          org_id: String!
          name: String!
          issuer_url: String!
          client_id: String!
          client_secret: String!
          scopes: String
          redirect_uri: String
        }

        input UpdateOrgOIDCConnectionRequest {
          id: ID!
          name: String
          issuer_url: String
          client_id: String
          client_secret: String
          scopes: String
          redirect_uri: String
          is_active: Boolean
        }

        input OrgOIDCConnectionRequest {
          id: ID
          org_id: String
        }

        input CreateOrgSAMLConnectionRequest {
          org_id: String!
          name: String!
          idp_entity_id: String!
          idp_sso_url: String!
          idp_certificate: String!
          sp_entity_id: String
          acs_url: String
          attribute_mapping: String
          allow_idp_initiated: Boolean
        }

        input UpdateOrgSAMLConnectionRequest {
          id: ID!
          name: String
          idp_entity_id: String
          idp_sso_url: String
          idp_certificate: String
          sp_entity_id: String
          acs_url: String
          attribute_mapping: String
          allow_idp_initiated: Boolean
          is_active: Boolean
        }

        input OrgSAMLConnectionRequest {
          id: ID
          org_id: String
        }

        input CreateSAMLServiceProviderRequest {
          org_id: String!
          name: String!
          entity_id: String!
          acs_url: String!
          sp_cert_pem: String
          name_id_format: String
          mapped_attributes: String
          allow_idp_initiated: Boolean
        }

        input UpdateSAMLServiceProviderRequest {
          id: ID!
          name: String
          entity_id: String
          acs_url: String
          sp_cert_pem: String
          name_id_format: String
          mapped_attributes: String
          allow_idp_initiated: Boolean
          is_active: Boolean
        }

        input SAMLServiceProviderRequest {
          id: ID!
        }

        input ListSAMLServiceProvidersRequest {
          org_id: String!
          pagination: PaginationRequest
        }

        input RotateSAMLIDPCertRequest {
          org_id: String!
        }

        input RetireSAMLIDPKeyRequest {
          id: ID!
        }

        input ListSAMLIDPKeysRequest {
          org_id: String!
        }

        input ImportSAMLSPMetadataRequest {
          metadata_xml: String!
        }

        input CreateOrganizationRequest {
          name: String!
          display_name: String
        }

        input UpdateOrganizationRequest {
          id: ID!
          name: String
          display_name: String
          enabled: Boolean
        }

        input OrganizationRequest {
          id: ID!
        }

        input ListOrganizationsRequest {
          pagination: PaginationRequest
        }

        input CreateScimEndpointRequest {
          org_id: String!
        }

        input ScimEndpointRequest {
          org_id: String!
        }

        input RequestOrgDomainRequest {
          org_id: String!
          domain: String!
        }

        input VerifyOrgDomainRequest {
          org_id: String!
          domain: String!
        }

        input AddVerifiedOrgDomainRequest {
          org_id: String!
          domain: String!
        }

        input ListOrgDomainsRequest {
          org_id: String!
          pagination: PaginationRequest
        }

        input DeleteOrgDomainRequest {
          domain: String!
        }

        input AddOrgMemberRequest {
          org_id: String!
          user_id: String!
          roles: [String!]
        }

        input RemoveOrgMemberRequest {
          org_id: String!
          user_id: String!
        }

        input ListOrgMembersRequest {
          org_id: String!
          pagination: PaginationRequest
        }

        input TestEndpointRequest {
          endpoint: String!
          event_name: String!
          event_description: String
          headers: Map
        }

        input AddEmailTemplateRequest {
          event_name: String!
          subject: String!
          template: String!
          design: String
        }

        input UpdateEmailTemplateRequest {
          id: ID!
          event_name: String
          template: String
          subject: String
          design: String
        }

        input DeleteEmailTemplateRequest {
          id: ID!
        }

        input VerifyOTPRequest {
          email: String
          phone_number: String
          otp: String!
          is_totp: Boolean
          state: String
        }

        input SkipMfaSetupRequest {
          email: String
          phone_number: String
          state: String
        }

        input LockMfaRequest {
          email: String
          phone_number: String
        }

        input OtpMfaSetupRequest {
          email: String
          phone_number: String
        }

        input ResendOTPRequest {
          email: String
          phone_number: String
          state: String
        }

        input GetUserRequest {
          id: String
          email: String
        }

        input FgaTupleInput {
          user: String!
          relation: String!
          object: String!
        }

        input FgaWriteModelInput {
          dsl: String!
        }

        input FgaWriteTuplesInput {
          tuples: [FgaTupleInput!]!
        }

        input FgaReadTuplesInput {
          user: String
          relation: String
          object: String
          page_size: Int64
          continuation_token: String
        }

        input PermissionCheckInput {
          relation: String!
          object: String!
          contextual_tuples: [FgaTupleInput!]
        }

        input CheckPermissionsInput {
          checks: [PermissionCheckInput!]!
          user: String
        }

        input ListPermissionsInput {
          relation: String
          object_type: String
          user: String
        }

        input FgaListUsersInput {
          object: String!
          relation: String!
          user_type: String!
        }

        input FgaExpandInput {
          relation: String!
          object: String!
        }

        input FgaRelationInput {
          relation: String!
          object: String!
        }

        type Mutation {
          signup(params: SignUpRequest!): AuthResponse!
          mobile_signup(params: MobileSignUpRequest): AuthResponse!
          login(params: LoginRequest!): AuthResponse!
          mobile_login(params: MobileLoginRequest!): AuthResponse!
          magic_link_login(params: MagicLinkLoginRequest!): Response!
          logout: Response!
          update_profile(params: UpdateProfileRequest!): Response!
          verify_email(params: VerifyEmailRequest!): AuthResponse!
          resend_verify_email(params: ResendVerifyEmailRequest!): Response!
          forgot_password(params: ForgotPasswordRequest!): ForgotPasswordResponse!
          reset_password(params: ResetPasswordRequest!): Response!
          revoke(params: OAuthRevokeRequest!): Response!
          verify_otp(params: VerifyOTPRequest!): AuthResponse!
          resend_otp(params: ResendOTPRequest!): Response!
          skip_mfa_setup(params: SkipMfaSetupRequest!): AuthResponse!
          lock_mfa(params: LockMfaRequest!): Response!
          email_otp_mfa_setup(params: OtpMfaSetupRequest): Response!
          sms_otp_mfa_setup(params: OtpMfaSetupRequest): Response!
          totp_mfa_setup(params: OtpMfaSetupRequest): AuthResponse!
          webauthn_registration_options(
            email: String
            phone_number: String
          ): WebauthnRegistrationOptionsResponse!
          webauthn_registration_verify(
            params: WebauthnRegistrationVerifyRequest!
          ): AuthResponse!
          webauthn_login_options(email: String): WebauthnLoginOptionsResponse!
          webauthn_login_verify(params: WebauthnLoginVerifyRequest!): AuthResponse!
          webauthn_delete_credential(id: ID!): Response!
          deactivate_account: Response!
          _delete_user(params: DeleteUserRequest!): Response!
          _update_user(params: UpdateUserRequest!): User!
          _admin_signup(params: AdminSignupRequest!): Response!
          _admin_login(params: AdminLoginRequest!): Response!
          _admin_logout: Response!
          _update_env(params: UpdateEnvRequest!): Response!
          _invite_members(params: InviteMemberRequest!): InviteMembersResponse!
          _revoke_access(param: UpdateAccessRequest!): Response!
          _enable_access(param: UpdateAccessRequest!): Response!
          _generate_jwt_keys(params: GenerateJWTKeysRequest!): GenerateJWTKeysResponse!
          _add_webhook(params: AddWebhookRequest!): Response!
          _update_webhook(params: UpdateWebhookRequest!): Response!
          _delete_webhook(params: WebhookRequest!): Response!
          _create_client(params: CreateClientRequest!): CreateClientResponse!
          _update_client(params: UpdateClientRequest!): Client!
          _delete_client(params: ClientRequest!): Response!
          _rotate_client_secret(params: ClientRequest!): CreateClientResponse!
          _add_trusted_issuer(params: AddTrustedIssuerRequest!): TrustedIssuer!
          _update_trusted_issuer(params: UpdateTrustedIssuerRequest!): TrustedIssuer!
          _delete_trusted_issuer(params: TrustedIssuerRequest!): Response!
          _create_org_oidc_connection(params: CreateOrgOIDCConnectionRequest!): OrgOIDCConnection!
          _update_org_oidc_connection(params: UpdateOrgOIDCConnectionRequest!): OrgOIDCConnection!
          _delete_org_oidc_connection(params: OrgOIDCConnectionRequest!): Response!
          _create_org_saml_connection(params: CreateOrgSAMLConnectionRequest!): OrgSAMLConnection!
          _update_org_saml_connection(params: UpdateOrgSAMLConnectionRequest!): OrgSAMLConnection!
          _delete_org_saml_connection(params: OrgSAMLConnectionRequest!): Response!
          _create_saml_service_provider(params: CreateSAMLServiceProviderRequest!): SAMLServiceProvider!
          _update_saml_service_provider(params: UpdateSAMLServiceProviderRequest!): SAMLServiceProvider!
          _delete_saml_service_provider(params: SAMLServiceProviderRequest!): Response!
          _rotate_saml_idp_cert(params: RotateSAMLIDPCertRequest!): SAMLIDPKey!
          _retire_saml_idp_key(params: RetireSAMLIDPKeyRequest!): Response!
          _import_saml_sp_metadata(params: ImportSAMLSPMetadataRequest!): SAMLSPMetadataParseResult!
          _create_organization(params: CreateOrganizationRequest!): Organization!
          _update_organization(params: UpdateOrganizationRequest!): Organization!
          _delete_organization(params: OrganizationRequest!): Response!
          _add_org_member(params: AddOrgMemberRequest!): OrgMember!
          _remove_org_member(params: RemoveOrgMemberRequest!): Response!
          _create_scim_endpoint(params: CreateScimEndpointRequest!): CreateScimEndpointResponse!
          _rotate_scim_token(params: ScimEndpointRequest!): CreateScimEndpointResponse!
          _delete_scim_endpoint(params: ScimEndpointRequest!): Response!
          _request_org_domain(params: RequestOrgDomainRequest!): OrgDomainChallenge!
          _verify_org_domain(params: VerifyOrgDomainRequest!): OrgDomain!
          _add_verified_org_domain(params: AddVerifiedOrgDomainRequest!): OrgDomain!
          _delete_org_domain(params: DeleteOrgDomainRequest!): Response!
          _test_endpoint(params: TestEndpointRequest!): TestEndpointResponse!
          _add_email_template(params: AddEmailTemplateRequest!): Response!
          _update_email_template(params: UpdateEmailTemplateRequest!): Response!
          _delete_email_template(params: DeleteEmailTemplateRequest!): Response!
          _fga_write_model(params: FgaWriteModelInput!): FgaModel!
          _fga_write_tuples(params: FgaWriteTuplesInput!): Response!
          _fga_delete_tuples(params: FgaWriteTuplesInput!): Response!
          _fga_reset: Response!
        }

        type Query {
          meta: Meta!
          session(params: SessionQueryRequest): AuthResponse!
          profile: User!
          validate_jwt_token(params: ValidateJWTTokenRequest!): ValidateJWTTokenResponse!
          validate_session(params: ValidateSessionRequest): ValidateSessionResponse!
          webauthn_credentials: [WebauthnCredentialInfo!]!
          _users(params: ListUsersRequest): Users!
          _user(params: GetUserRequest!): User!
          _user_organizations(params: UserOrganizationsRequest!): UserOrganizations!
          _verification_requests(params: PaginationRequest): VerificationRequests!
          _admin_session: Response!
          _admin_meta: AdminMeta!
          _env: Env!
          _webhook(params: WebhookRequest!): Webhook!
          _webhooks(params: PaginationRequest): Webhooks!
          _webhook_logs(params: ListWebhookLogRequest): WebhookLogs!
          _client(params: ClientRequest!): Client!
          _clients(params: ListClientsRequest): Clients!
          _trusted_issuer(params: TrustedIssuerRequest!): TrustedIssuer!
          _trusted_issuers(params: ListTrustedIssuersRequest): TrustedIssuers!
          _org_oidc_connection(params: OrgOIDCConnectionRequest!): OrgOIDCConnection!
          _org_saml_connection(params: OrgSAMLConnectionRequest!): OrgSAMLConnection!
          _saml_service_provider(params: SAMLServiceProviderRequest!): SAMLServiceProvider!
          _list_saml_service_providers(params: ListSAMLServiceProvidersRequest!): SAMLServiceProviders!
          _list_saml_idp_keys(params: ListSAMLIDPKeysRequest!): [SAMLIDPKey!]!
          _organization(params: OrganizationRequest!): Organization!
          _organizations(params: ListOrganizationsRequest): Organizations!
          _org_members(params: ListOrgMembersRequest!): OrgMembers!
          _scim_endpoint(params: ScimEndpointRequest!): ScimEndpoint!
          _org_domains(params: ListOrgDomainsRequest!): OrgDomains!
          _email_templates(params: PaginationRequest): EmailTemplates!
          _audit_logs(params: ListAuditLogRequest): AuditLogs!
          _fga_get_model: FgaModel!
          _fga_read_tuples(params: FgaReadTuplesInput!): FgaTuples!
          _fga_list_users(params: FgaListUsersInput!): FgaListUsersResponse!
          _fga_expand(params: FgaExpandInput!): FgaExpandResponse!
          check_permissions(params: CheckPermissionsInput!): CheckPermissionsResponse!
          list_permissions(params: ListPermissionsInput!): ListPermissionsResponse!
        }
        """
}
