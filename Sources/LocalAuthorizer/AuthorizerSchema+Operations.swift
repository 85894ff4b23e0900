extension AuthorizerSchema {
    /// `Mutation` and `Query` (part of ``sdl``).
    static let operations = """
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
