import GraphQL
import Synchronization

/// Connects the schema's root fields to the services.
struct Resolvers: Sendable {
    let configuration: AuthorizerConfiguration
    let auth: AuthService
    let admin: AdminService

    /// The schema with every root field resolved here; nested objects are dictionaries read by
    /// field name. What this server does not implement answers as Authorizer 2.4 does with that
    /// feature switched off (``DisabledFeatures``): an operation's real error, and for a field
    /// with no value null, false, 0, "" or an empty list as its type allows.
    func makeSchema() throws -> GraphQLSchema {
        let schema = try buildSchema(source: AuthorizerSchema.sdl)
        let resolvers = all
        guard Set(resolvers.keys) == Self.implemented, Self.implemented.isDisjoint(with: DisabledFeatures.listed) else {
            throw AuthorizerSetupError("Resolvers.implemented does not name the resolved operations")
        }
        let roots = [schema.queryType, schema.mutationType].compactMap { $0 }
        for type in roots {
            let fields = try type.fields()
            for (name, field) in fields {
                field.resolve =
                    resolvers[name]
                    ?? DisabledFeatures.resolver(
                        for: name, configuration: configuration,
                        authenticateUser: { [auth] request in
                            _ = try await auth.profile(accessToken: request.bearerToken)
                        })
            }
            type.fields = { fields }
        }
        let rootNames = Set(roots.map(\.name))
        for case let type as GraphQLObjectType in schema.typeMap.values
        where !type.name.hasPrefix("__") && !rootNames.contains(type.name) {
            let fields = try type.fields()
            for (name, field) in fields where field.resolve == nil {
                let fallback = DisabledFeatures.emptyValue(of: field.type)
                field.resolve = { source, _, _, _ in
                    (source as? [String: any Sendable])?[name] ?? fallback
                }
            }
            type.fields = { fields }
        }
        return schema
    }

    /// The root operations this server implements; every other one is in ``DisabledFeatures``.
    static let implemented: Set<String> = [
        "meta", "session", "profile", "validate_jwt_token", "validate_session", "_users", "_user", "_admin_session",
        "_webhook", "_webhooks", "_webhook_logs", "signup", "login", "logout", "update_profile", "verify_email",
        "resend_verify_email", "forgot_password", "reset_password", "revoke", "deactivate_account", "_delete_user",
        "_update_user", "_revoke_access", "_enable_access", "_admin_login", "_admin_logout", "_add_webhook",
        "_update_webhook", "_delete_webhook", "verify_otp", "resend_otp", "skip_mfa_setup", "lock_mfa",
        "totp_mfa_setup", "email_otp_mfa_setup", "magic_link_login",
    ]

    private var all: [String: GraphQLFieldResolve] {
        let configuration = configuration
        let auth = auth
        let admin = admin
        return [
            "meta": { _, _, _, _ in Self.meta(configuration) },
            "signup": { _, args, context, _ in
                let p = args["params"]
                var names: [String: String] = [:]
                for key in [
                    "given_name", "family_name", "middle_name", "nickname", "gender", "birthdate", "phone_number",
                    "picture",
                ] {
                    if let value = p[key].string { names[key] = value }
                }
                let result = try await auth.signup(
                    .init(
                        email: p["email"].string, password: p["password"].string ?? "",
                        confirmPassword: p["confirm_password"].string ?? "", names: names,
                        roles: p["roles"].array?.compactMap(\.string), scope: p["scope"].array?.compactMap(\.string)))
                return Self.graphQLValue(result, context, configuration)
            },
            "login": { _, args, context, _ in
                let p = args["params"]
                let result = try await auth.login(
                    email: p["email"].string, password: p["password"].string ?? "",
                    roles: p["roles"].array?.compactMap(\.string), scope: p["scope"].array?.compactMap(\.string))
                return Self.graphQLValue(result, context, configuration)
            },
            "logout": { _, _, context, _ in
                let info = Self.info(context)
                try await auth.logout(accessToken: info.bearerToken, cookie: info.sessionCookie)
                info.setCookie(Self.cookie("cookie_session", "", maxAge: 0, configuration))
                return ["message": "Logged out successfully"] as [String: any Sendable]
            },
            "session": { _, args, context, _ in
                let result = try await auth.sessionTokens(
                    cookie: Self.info(context).sessionCookie, roles: args["params"]["roles"].array?.compactMap(\.string)
                )
                return Self.graphQLValue(result, context, configuration)
            },
            "validate_session": { _, args, _, _ in
                let (_, user) = try await auth.liveSession(cookie: args["params"]["cookie"].string)
                return ["is_valid": true, "user": user.graphQLValue] as [String: any Sendable]
            },
            "update_profile": { _, args, context, _ in
                try await auth.updateProfile(accessToken: Self.info(context).bearerToken, args["params"])
                return ["message": "Profile details updated successfully."] as [String: any Sendable]
            },
            "verify_email": { _, args, context, _ in
                let result = try await auth.verifyEmail(token: args["params"]["token"].string ?? "")
                return Self.graphQLValue(result, context, configuration)
            },
            "resend_verify_email": { _, args, _, _ in
                try await auth.resendVerifyEmail(email: args["params"]["email"].string ?? "")
                return ["message": "Verification email has been sent. Please check your inbox"]
                    as [String: any Sendable]
            },
            "verify_otp": { _, args, context, _ in
                let p = args["params"]
                let result = try await auth.verifyOTP(
                    cookie: Self.info(context).mfaCookie, email: p["email"].string, otp: p["otp"].string ?? "",
                    isTOTP: p["is_totp"].bool ?? false)
                return Self.graphQLValue(result, context, configuration)
            },
            "skip_mfa_setup": { _, args, context, _ in
                let result = try await auth.skipMFASetup(
                    cookie: Self.info(context).mfaCookie, email: args["params"]["email"].string)
                return Self.graphQLValue(result, context, configuration)
            },
            "lock_mfa": { _, args, context, _ in
                let message = try await auth.lockMFA(
                    cookie: Self.info(context).mfaCookie, email: args["params"]["email"].string)
                return ["message": message] as [String: any Sendable]
            },
            "totp_mfa_setup": { _, args, context, _ in
                let info = Self.info(context)
                let result = try await auth.mfaSetup(
                    method: "totp", bearer: info.bearerToken, cookie: info.mfaCookie,
                    email: args["params"]["email"].string)
                return Self.graphQLValue(result, context, configuration)
            },
            "email_otp_mfa_setup": { _, args, context, _ in
                let info = Self.info(context)
                let result = try await auth.mfaSetup(
                    method: "email_otp", bearer: info.bearerToken, cookie: info.mfaCookie,
                    email: args["params"]["email"].string)
                return ["message": Self.graphQLValue(result, context, configuration)["message"] ?? ""]
                    as [String: any Sendable]
            },
            "resend_otp": { _, args, context, _ in
                let p = args["params"]
                if (p["email"].string ?? "").isEmpty, !(p["phone_number"].string ?? "").isEmpty {
                    throw AuthorizerError(message: "SMS service not enabled", code: .failedPrecondition)
                }
                let result = try await auth.resendOTP(email: p["email"].string)
                return ["message": Self.graphQLValue(result, context, configuration)["message"] ?? ""]
                    as [String: any Sendable]
            },
            "magic_link_login": { _, args, _, _ in
                let p = args["params"]
                let message = try await auth.magicLinkLogin(
                    email: p["email"].string, redirectURI: p["redirect_uri"].string, state: p["state"].string,
                    scope: p["scope"].array?.compactMap(\.string))
                return ["message": message] as [String: any Sendable]
            },
            "forgot_password": { _, args, _, _ in
                try await auth.forgotPassword(
                    email: args["params"]["email"].string, redirectURI: args["params"]["redirect_uri"].string)
                return ["message": "Please check your inbox! We have sent a password reset link."]
                    as [String: any Sendable]
            },
            "reset_password": { _, args, _, _ in
                let p = args["params"]
                try await auth.resetPassword(
                    token: p["token"].string ?? "", password: p["password"].string ?? "",
                    confirmPassword: p["confirm_password"].string ?? "")
                return ["message": "Password updated successfully."] as [String: any Sendable]
            },
            "revoke": { _, args, _, _ in
                try await auth.revoke(refreshToken: args["params"]["refresh_token"].string ?? "")
                return ["message": "Token revoked"] as [String: any Sendable]
            },
            "deactivate_account": { _, _, context, _ in
                try await auth.deactivateAccount(accessToken: Self.info(context).bearerToken)
                return ["message": "user account deactivated successfully"] as [String: any Sendable]
            },
            "_admin_login": { _, args, context, _ in
                guard AdminSecret.matches(args["params"]["admin_secret"].string ?? "", configuration.adminSecret) else {
                    throw AuthorizerError(message: "invalid admin secret", code: .unauthenticated)
                }
                Self.info(context).setCookie(
                    Self.cookie(
                        "authorizer-admin", AdminSecret.cookieValue(configuration.adminSecret), maxAge: 86_400,
                        configuration))
                return ["message": "admin logged in successfully"] as [String: any Sendable]
            },
            "_admin_session": Self.adminOnly { _ in ["message": "admin session refreshed successfully"] },
            "_admin_logout": { _, _, context, _ in
                guard Self.info(context).isAdmin else { throw AuthorizerError.unauthorized }
                Self.info(context).setCookie(Self.cookie("authorizer-admin", "", maxAge: 0, configuration))
                return ["message": "admin logged out successfully"] as [String: any Sendable]
            },
            "profile": { _, _, context, _ in
                try await auth.profile(accessToken: Self.info(context).bearerToken).graphQLValue
            },
            "validate_jwt_token": { _, args, _, _ in
                let p = args["params"]
                let claims = try await auth.validate(
                    token: p["token"].string ?? "", tokenType: p["token_type"].string ?? "",
                    roles: p["roles"].array?.compactMap(\.string))
                return ["is_valid": true, "claims": try Map(claims)] as [String: any Sendable]
            },
            "_users": Self.adminOnly { args in
                try await admin.users(
                    page: try .init(args["params"]["pagination"]), query: args["params"]["query"].string)
            },
            "_user": Self.adminOnly { args in
                try await admin.user(id: args["params"]["id"].string, email: args["params"]["email"].string)
                    .graphQLValue
            },
            "_update_user": Self.adminOnly { args in try await admin.updateUser(args["params"]).graphQLValue },
            "_delete_user": Self.adminOnly { args in
                try await admin.deleteUser(id: args["params"]["id"].string ?? "")
                return ["message": "user deleted successfully"]
            },
            "_revoke_access": Self.adminOnly { args in
                try await admin.setAccess(userID: args["param"]["user_id"].string ?? "", revoked: true)
                return ["message": "user access revoked successfully"]
            },
            "_enable_access": Self.adminOnly { args in
                try await admin.setAccess(userID: args["param"]["user_id"].string ?? "", revoked: false)
                return ["message": "user access enabled successfully"]
            },
            "_update_webhook": Self.adminOnly { args in
                try await admin.updateWebhook(args["params"])
                return ["message": "Webhook updated successfully"]
            },
            "_add_webhook": Self.adminOnly { args in
                try await admin.addWebhook(args["params"])
                return ["message": "Added webhook successfully"]
            },
            "_delete_webhook": Self.adminOnly { args in
                _ = try await admin.webhook(id: args["params"]["id"].string ?? "")
                try await admin.store.deleteWebhook(id: args["params"]["id"].string ?? "")
                return ["message": "Webhook deleted successfully"]
            },
            "_webhook": Self.adminOnly { args in try await admin.webhook(id: args["params"]["id"].string ?? "") },
            "_webhooks": Self.adminOnly { args in try await admin.webhooks(page: try .init(args["params"])) },
            "_webhook_logs": Self.adminOnly { args in
                try await admin.webhookLogs(
                    page: try .init(args["params"]["pagination"]), webhookID: args["params"]["webhook_id"].string)
            },
        ]
    }

    private static func adminOnly(
        _ body: @escaping @Sendable (Map) async throws -> [String: any Sendable]
    ) -> GraphQLFieldResolve {
        { _, args, context, _ in
            guard info(context).isAdmin else { throw AuthorizerError.unauthorized }
            return try await body(args)
        }
    }

    private static func info(_ context: any Sendable) -> GraphQLRequestInfo {
        context as? GraphQLRequestInfo ?? GraphQLRequestInfo(bearerToken: nil, sessionCookie: nil, isAdmin: false)
    }

    /// A `Set-Cookie` value; `Secure` when the server's URL is https.
    static func cookie(_ name: String, _ value: String, maxAge: Int64, _ configuration: AuthorizerConfiguration)
        -> String
    {
        let secure = configuration.issuer.hasPrefix("https://") ? "; Secure" : ""
        return "\(name)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Lax\(secure)"
    }

    /// The `Set-Cookie` values `result` brings: its MFA session (`mfa_session`) and its browser
    /// session (`cookie_session`, living as long as its longest token).
    static func cookies(for result: AuthService.AuthResult, _ configuration: AuthorizerConfiguration) -> [String] {
        var cookies: [String] = []
        if let mfa = result.mfaCookie {
            cookies.append(cookie("mfa_session", mfa, maxAge: result.mfaCookieLifetime, configuration))
        }
        if let session = result.sessionCookie {
            let lifetime = max(
                configuration.accessTokenExpiresIn, result.refreshToken == nil ? 0 : configuration.refreshTokenExpiresIn
            )
            cookies.append(cookie("cookie_session", session, maxAge: lifetime, configuration))
        }
        return cookies
    }

    /// The AuthResponse object; its cookies are set on the response.
    private static func graphQLValue(
        _ result: AuthService.AuthResult, _ context: any Sendable, _ configuration: AuthorizerConfiguration
    ) -> [String: any Sendable] {
        for value in cookies(for: result, configuration) { info(context).setCookie(value) }
        var value: [String: any Sendable] = ["message": result.message]
        value["access_token"] = result.accessToken
        value["id_token"] = result.idToken
        value["refresh_token"] = result.refreshToken
        value["expires_in"] = result.expiresIn.map { Int($0) }
        value["user"] = result.user?.graphQLValue
        value["should_show_email_otp_screen"] = result.showEmailOTPScreen
        value["should_show_totp_screen"] = result.showTOTPScreen
        value["should_offer_webauthn_mfa_setup"] = result.offerWebauthnSetup
        value["should_offer_email_otp_mfa_setup"] = result.offerEmailOTPSetup
        value["should_offer_sms_otp_mfa_setup"] = result.offerSMSOTPSetup
        value["authenticator_scanner_image"] = result.scannerImage
        value["authenticator_secret"] = result.authenticatorSecret
        value["authenticator_recovery_codes"] = result.recoveryCodes
        return value.compactMapValues { $0 }
    }

    private static func meta(_ configuration: AuthorizerConfiguration) -> [String: any Sendable] {
        var meta: [String: any Sendable] = ["version": configuration.metaVersion, "client_id": configuration.clientID]
        for flag in [
            "is_google_login_enabled", "is_facebook_login_enabled", "is_github_login_enabled",
            "is_linkedin_login_enabled", "is_apple_login_enabled", "is_discord_login_enabled",
            "is_twitter_login_enabled", "is_microsoft_login_enabled", "is_twitch_login_enabled",
            "is_roblox_login_enabled", "is_mobile_basic_authentication_enabled", "is_phone_verification_enabled",
        ] {
            meta[flag] = false
        }
        meta["is_multi_factor_auth_enabled"] = configuration.enableMFA
        meta["is_magic_link_login_enabled"] = configuration.enableMagicLinkLogin
        meta["is_mfa_enforced"] = configuration.enforcesMFA
        meta["is_basic_authentication_enabled"] = true
        meta["is_email_verification_enabled"] = configuration.enableEmailVerification
        meta["is_sign_up_enabled"] = configuration.enableSignup
        meta["is_strong_password_enabled"] = configuration.enableStrongPassword
        return meta
    }
}
