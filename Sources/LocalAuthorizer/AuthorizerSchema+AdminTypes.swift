extension AuthorizerSchema {
    /// Organisation members and domains, webhook logs, audit and email templates (part of ``sdl``).
    static let adminTypes = """
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
        """
}
