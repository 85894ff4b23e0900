extension AuthorizerSchema {
    /// The inputs of organisations, domains, members, templates, MFA and permissions (part of ``sdl``).
    static let organisationInputs = """
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
        """
}
