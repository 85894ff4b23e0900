extension AuthorizerSchema {
    /// The inputs of webhooks, clients, trusted issuers and SSO connections (part of ``sdl``).
    static let adminInputs = """
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
        """
}
