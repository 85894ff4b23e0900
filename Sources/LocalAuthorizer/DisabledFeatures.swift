import GraphQL

/// What this server answers for the parts of Authorizer 2.4.0's schema it does not implement: what
/// the real server answers with that feature switched off, or, for a feature with no switch, what
/// an instance with no such records answers. Read from `internal/graph/schema.resolvers.go` and
/// `internal/service/*.go` at tag 2.4.0; it never answers "Cannot query field".
///
/// The twin runs as Authorizer with no SMS service and no passkeys stored (its outbox is its mail
/// service), no FGA store, and no organizations, clients, SAML, SCIM or templates stored. Where the
/// real server would create such a record, the twin answers `FAILED_PRECONDITION` "<operation> is
/// not available on this server" (docs/authorizer-versions.md lists these).
enum DisabledFeatures {
    /// The root operations answered here; with ``Resolvers/implemented`` they are the whole schema.
    static let listed: Set<String> = [
        "mobile_signup", "mobile_login", "sms_otp_mfa_setup", "webauthn_registration_options",
        "webauthn_registration_verify", "webauthn_login_options", "webauthn_login_verify", "webauthn_delete_credential",
        "webauthn_credentials", "check_permissions", "list_permissions", "_admin_signup", "_update_env",
        "_generate_jwt_keys", "_env", "_invite_members", "_verification_requests", "_user_organizations", "_admin_meta",
        "_client", "_clients", "_create_client", "_update_client", "_delete_client", "_rotate_client_secret",
        "_trusted_issuer", "_trusted_issuers", "_add_trusted_issuer", "_update_trusted_issuer",
        "_delete_trusted_issuer",
        "_org_oidc_connection", "_create_org_oidc_connection", "_update_org_oidc_connection",
        "_delete_org_oidc_connection", "_org_saml_connection", "_create_org_saml_connection",
        "_update_org_saml_connection", "_delete_org_saml_connection", "_saml_service_provider",
        "_list_saml_service_providers", "_list_saml_idp_keys", "_create_saml_service_provider",
        "_update_saml_service_provider", "_delete_saml_service_provider", "_rotate_saml_idp_cert",
        "_retire_saml_idp_key",
        "_import_saml_sp_metadata", "_organization", "_organizations", "_org_members", "_create_organization",
        "_update_organization", "_delete_organization", "_add_org_member", "_remove_org_member", "_scim_endpoint",
        "_create_scim_endpoint", "_rotate_scim_token", "_delete_scim_endpoint", "_org_domains", "_request_org_domain",
        "_verify_org_domain", "_add_verified_org_domain", "_delete_org_domain", "_test_endpoint", "_email_templates",
        "_add_email_template", "_update_email_template", "_delete_email_template", "_audit_logs", "_fga_get_model",
        "_fga_write_model", "_fga_write_tuples", "_fga_delete_tuples", "_fga_reset", "_fga_read_tuples",
        "_fga_list_users", "_fga_expand",
    ]

    /// Operations that take a signed-in user (a bearer token) before anything else.
    private static let userOperations: Set<String> = [
        "sms_otp_mfa_setup", "webauthn_registration_options", "webauthn_registration_verify",
        "webauthn_delete_credential", "webauthn_credentials",
    ]

    /// The resolver of `name`: Authorizer's checks made before authentication, then the admin
    /// secret (`_` operations) or the bearer token (``userOperations``), then the answer.
    static func resolver(
        for name: String, configuration: AuthorizerConfiguration,
        authenticateUser: @escaping @Sendable (GraphQLRequestInfo) async throws -> Void
    ) -> GraphQLFieldResolve {
        { _, args, context, info in
            let request =
                context as? GraphQLRequestInfo
                ?? GraphQLRequestInfo(bearerToken: nil, sessionCookie: nil, isAdmin: false)
            if let early = try beforeAuthentication(name, args) { return early }
            if name.hasPrefix("_"), !request.isAdmin { throw AuthorizerError.unauthorized }
            if userOperations.contains(name) { try await authenticateUser(request) }
            return try afterAuthentication(name, args, configuration) ?? emptyValue(of: info.returnType)
        }
    }

    private static func fail(_ message: String, _ code: AuthorizerError.Code?) -> AuthorizerError {
        AuthorizerError(message: message, code: code)
    }

    private static func notAvailable(_ name: String) -> AuthorizerError {
        fail("\(name) is not available on this server", .failedPrecondition)
    }

    private static func blank(_ value: Map) -> Bool { (value.string ?? "").isEmpty }

    /// Answers Authorizer gives before it looks at who is asking; nil to go on.
    private static func beforeAuthentication(_ name: String, _ args: Map) throws -> (any Sendable)? {
        let p = args["params"]
        switch name {
        // schema.resolvers.go: always deprecated, no code.
        case "mobile_signup": throw fail("deprecated, use signup with mobile phone_number", nil)
        case "mobile_login": throw fail("deprecated, use login with mobile phone_number", nil)
        case "_admin_signup": throw fail("deprecated. please configure admin secret via cli args", nil)
        case "_update_env", "_env": throw fail("deprecated. please configure env via cli args", nil)
        case "_generate_jwt_keys": throw fail("deprecated. please configure jwt keys via cli args", nil)
        // webauthn.go: an email with no MFA session; any assertion is unknown here.
        case "webauthn_login_options":
            if !blank(args["email"]) { throw fail("invalid session", .unauthenticated) }
            throw notAvailable(name)
        case "webauthn_login_verify": throw fail("invalid passkey", .unauthenticated)
        // check_permissions.go, list_permissions.go: the FGA check precedes authentication.
        case "check_permissions", "list_permissions":
            throw fail("fine-grained authorization is not enabled", .failedPrecondition)
        // admin_org_oidc.go, admin_org_saml.go: the connection is looked up first; gorm's error.
        case "_org_oidc_connection", "_delete_org_oidc_connection", "_org_saml_connection",
            "_delete_org_saml_connection":
            if blank(p["id"]), blank(p["org_id"]) { throw fail("supply either id or org_id", .invalidArgument) }
            throw fail("record not found", nil)
        case "_update_org_oidc_connection", "_update_org_saml_connection": throw fail("record not found", nil)
        // admin_saml_idp.go: looked up before authentication.
        case "_saml_service_provider", "_delete_saml_service_provider":
            throw fail("service provider not found: \(p["id"].string ?? "")", .notFound)
        case "_update_saml_service_provider":
            if blank(p["id"]) { throw fail("id is required", .invalidArgument) }
            return nil
        case "_retire_saml_idp_key": throw fail("signing key not found: \(p["id"].string ?? "")", .notFound)
        default: return nil
        }
    }

    /// Answers after authentication; nil means the empty value of the operation's type.
    private static func afterAuthentication(
        _ name: String, _ args: Map, _ configuration: AuthorizerConfiguration
    ) throws -> (any Sendable)? {
        let p = args["params"]
        switch name {
        // otp_mfa_setup.go: no SMS service.
        case "sms_otp_mfa_setup": throw fail("SMS OTP is not available on this server", .failedPrecondition)
        // webauthn.go: no challenge was issued, no passkey is stored.
        case "webauthn_registration_options": throw notAvailable(name)
        case "webauthn_registration_verify":
            throw fail("webauthn: challenge not found or already used", .invalidArgument)
        case "webauthn_delete_credential": throw fail("passkey not found", .notFound)
        case "webauthn_credentials": return [any Sendable]()
        // admin_access.go: no mail service.
        case "_invite_members": throw fail("email sending is disabled", .failedPrecondition)
        case "_admin_meta":
            return [
                "roles": configuration.roles, "default_roles": configuration.defaultRoles,
                "protected_roles": configuration.protectedRoles, "is_multi_factor_auth_service_enabled": false,
            ] as [String: any Sendable]
        // admin_clients.go: only the client seeded at boot (cmd/seed_client.go).
        case "_clients":
            let reserved: [String: any Sendable] = [
                "id": configuration.clientID, "client_id": configuration.clientID,
                "name": "Reserved Interactive Client", "allowed_scopes": [String](), "is_active": true,
            ]
            return page(args, total: 1, key: "clients", items: [reserved])
        case "_client", "_update_client": throw fail("client not found", .notFound)
        case "_delete_client", "_rotate_client_secret":
            if blank(p["id"]) { throw fail("service account ID required", .invalidArgument) }
            throw fail("client not found", .notFound)
        // admin_trusted_issuers.go
        case "_trusted_issuer", "_update_trusted_issuer": throw fail("trusted issuer not found", .notFound)
        case "_delete_trusted_issuer":
            if blank(p["id"]) { throw fail("trusted issuer ID required", .invalidArgument) }
            throw fail("trusted issuer not found", .notFound)
        case "_add_trusted_issuer":
            throw fail("service account not found: \(p["service_account_id"].string ?? "")", .notFound)
        // admin_org_oidc.go, admin_org_saml.go, admin_saml_idp.go: no organization exists.
        case "_create_org_oidc_connection":
            if ["org_id", "name", "issuer_url", "client_id", "client_secret"].contains(where: { blank(p[$0]) }) {
                throw fail("org_id, name, issuer_url, client_id and client_secret are required", .invalidArgument)
            }
            throw organizationNotFound(p)
        case "_create_org_saml_connection":
            if ["org_id", "name", "idp_entity_id", "idp_sso_url", "idp_certificate"].contains(where: { blank(p[$0]) }) {
                throw fail(
                    "org_id, name, idp_entity_id, idp_sso_url and idp_certificate are required", .invalidArgument)
            }
            throw organizationNotFound(p)
        case "_create_saml_service_provider":
            if ["org_id", "name", "entity_id", "acs_url"].contains(where: { blank(p[$0]) }) {
                throw fail("org_id, name, entity_id and acs_url are required", .invalidArgument)
            }
            throw organizationNotFound(p)
        case "_update_saml_service_provider":
            throw fail("service provider not found: \(p["id"].string ?? "")", .notFound)
        case "_rotate_saml_idp_cert": throw organizationNotFound(p)
        case "_list_saml_idp_keys": return [any Sendable]()
        case "_import_saml_sp_metadata":
            if blank(p["metadata_xml"]) { throw fail("metadata_xml is required", .invalidArgument) }
            throw notAvailable(name)
        // admin_organizations.go, admin_scim.go, admin_org_domains.go
        case "_organization", "_update_organization": throw fail("organization not found", .notFound)
        case "_delete_organization":
            if blank(p["id"]) { throw fail("organization ID required", .invalidArgument) }
            throw fail("organization not found", .notFound)
        case "_add_org_member":
            if blank(p["org_id"]) || blank(p["user_id"]) {
                throw fail("org_id and user_id are required", .invalidArgument)
            }
            throw fail("organization not found", .notFound)
        case "_remove_org_member": throw fail("membership not found", .notFound)
        case "_user_organizations":
            if blank(p["user_id"]) { throw fail("user_id is required", .invalidArgument) }
            return page(args, key: "user_organizations")
        case "_org_members", "_org_domains":
            if blank(p["org_id"]) { throw fail("org_id is required", .invalidArgument) }
            return page(args, key: name == "_org_members" ? "org_members" : "org_domains")
        case "_create_scim_endpoint", "_request_org_domain", "_add_verified_org_domain":
            if blank(p["org_id"]) { throw fail("org_id is required", .invalidArgument) }
            throw fail("organization not found", .notFound)
        case "_scim_endpoint", "_rotate_scim_token", "_delete_scim_endpoint":
            throw fail("scim endpoint not found", .notFound)
        case "_verify_org_domain":
            throw fail("no pending verification challenge for this domain; request one first", .failedPrecondition)
        case "_delete_org_domain": throw fail("org domain not found", .notFound)
        // admin_email_templates.go
        case "_update_email_template": throw fail("email template not found", .notFound)
        case "_delete_email_template":
            if blank(p["id"]) { throw fail("email template ID required", .invalidArgument) }
            throw fail("email template not found", .notFound)
        // admin_fga.go: no FGA store.
        case "_fga_get_model", "_fga_write_model", "_fga_write_tuples", "_fga_delete_tuples", "_fga_reset",
            "_fga_read_tuples", "_fga_list_users", "_fga_expand":
            throw fail("fine-grained authorization is not enabled", .failedPrecondition)
        // Lists of records this server never stores.
        case "_verification_requests": return page(args, key: "verification_requests")
        case "_trusted_issuers": return page(args, key: "trusted_issuers")
        case "_list_saml_service_providers": return page(args, key: "saml_service_providers")
        case "_organizations": return page(args, key: "organizations")
        case "_email_templates": return page(args, key: "email_templates")
        case "_audit_logs": return page(args, key: "audit_logs")
        // Records the real server would create.
        case "_create_client", "_create_organization", "_add_email_template", "_test_endpoint":
            throw notAvailable(name)
        default:
            throw fail("\(name) is not available on this server", .failedPrecondition)
        }
    }

    private static func organizationNotFound(_ p: Map) -> AuthorizerError {
        fail("organization not found: \(p["org_id"].string ?? "")", .notFound)
    }

    /// A page as `utils.GetPagination` shapes it (`internal/utils/pagination.go`): limit 10 and
    /// page 1 unless asked, offset (page - 1) × limit.
    private static func page(
        _ args: Map, total: Int = 0, key: String, items: [any Sendable] = []
    ) -> [String: any Sendable] {
        let p = args["params"]
        let request = p["pagination"].isUndefined || p["pagination"] == .null ? p : p["pagination"]
        let limit = request["limit"].int.flatMap { $0 > 0 ? $0 : nil } ?? 10
        let page = request["page"].int.flatMap { $0 > 0 ? $0 : nil } ?? 1
        let offset = (page - 1).multipliedReportingOverflow(by: limit)
        return [
            "pagination": [
                "limit": limit, "page": page, "offset": offset.overflow ? 0 : offset.partialValue, "total": total,
            ]
                as [String: any Sendable],
            key: items,
        ]
    }

    /// The value Authorizer gives a field it has nothing for: null where the type allows it,
    /// else an empty list, false, 0, "" or an object whose own fields take these values.
    static func emptyValue(of type: any GraphQLType) -> (any Sendable)? {
        guard let required = type as? GraphQLNonNull else { return nil }
        switch required.ofType {
        case is GraphQLList: return [any Sendable]()
        case let scalar as GraphQLScalarType:
            switch scalar.name {
            case "Boolean": return false
            case "Int", "Int64", "Float": return 0
            case "Map", "Any": return [String: any Sendable]()
            default: return ""
            }
        case is GraphQLObjectType: return [String: any Sendable]()
        case let enumeration as GraphQLEnumType: return enumeration.values.first?.name
        default: return nil
        }
    }
}
