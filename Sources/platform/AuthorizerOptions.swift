import ArgumentParser
import AuthorizerClient
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Logging
import PlatformDB
import ServiceLifecycle

/// How `platform serve` reaches Authorizer. Flags win over environment variables.
struct AuthorizerOptions: ParsableArguments {
    @Option(
        name: .customLong("authorizer-url"),
        help: "Authorizer's base URL. Env: AUTHORIZER_URL. Without it the gateway serves health routes only.")
    var url: String?
    @Option(
        name: .customLong("authorizer-client-id"),
        help: "Authorizer's client id (the tokens' aud). Env: AUTHORIZER_CLIENT_ID")
    var clientID: String?
    @Option(
        name: .customLong("authorizer-admin-secret"),
        help: "Authorizer's admin secret, for provisioning lookups. Env: AUTHORIZER_ADMIN_SECRET")
    var adminSecret: String?
    @Option(
        name: .customLong("authorizer-jwt-secret"),
        help: "Authorizer's HS256 secret; without it the JWKS is used. Env: AUTHORIZER_JWT_SECRET")
    var jwtSecret: String?
    @Option(
        name: .customLong("authorizer-previous-jwt-secret"),
        help:
            "During a rotation of the HS* secret, the previous one: tokens signed with either are accepted. Env: AUTHORIZER_PREVIOUS_JWT_SECRET"
    )
    var previousJWTSecret: String?
    @Option(
        name: .customLong("authorizer-issuer"),
        help:
            "The tokens' iss. Default: the issuer of Authorizer's discovery document, else the scheme and host of --authorizer-url. Env: AUTHORIZER_ISSUER"
    )
    var issuer: String?
    @Option(
        name: .customLong("authorizer-version"),
        help:
            "1, 2 (2.4 and later) or 2.0 to 2.3; detected with meta, else the schema, when absent. Env: AUTHORIZER_VERSION"
    )
    var version: String?
    @Option(
        name: .customLong("web-app-url"),
        help:
            "Where users open the web app (scheme, host and port); Authorizer's reset links then lead there, so its --allowed-origins must name this origin. Env: WEB_APP_URL. Default: Authorizer's own reset page"
    )
    var webAppURL: String?
    @Option(
        name: .customLong("authorizer-browser-url"),
        help:
            "Authorizer's address as browsers reach it, for \"Sign in with Authorizer\" (its /authorize). Env: AUTHORIZER_BROWSER_URL. Default: --authorizer-url"
    )
    var browserURL: String?
    @Option(name: .customLong("guard-mode"), help: "remote, local or hybrid. Env: GUARD_MODE. Default: hybrid")
    var guardMode: String?
    @Option(
        name: .customLong("session-check-interval"),
        help:
            "Hybrid mode: seconds a session is trusted after a remote check (one in use is checked again in the background after 50-75% of it). Env: SESSION_CHECK_INTERVAL. Default: 30"
    )
    var sessionCheckInterval: String?
    @Option(
        name: .customLong("super-admin"),
        help:
            "Email or Authorizer id of a platform operator (SUPER_ADMIN); repeatable. Env: SUPER_ADMINS (comma-separated)"
    )
    var superAdmins: [String] = []
    @Option(
        name: .customLong("role-mapping"),
        help:
            "authorizerRole=USER|ADMIN: the platform role a new user gets for an Authorizer role; repeatable. Env: ROLE_MAPPING (comma-separated)"
    )
    var roleMappings: [String] = []
    @Option(
        name: .customLong("reconcile-interval"),
        help:
            "Minutes between scheduled reconciles with Authorizer (needs the admin secret); 0 turns it off. Env: RECONCILE_INTERVAL. Default: 15"
    )
    var reconcileInterval: String?

    /// These options as given on the command line.
    var flags: [Setting: [String]?] {
        [
            .authorizerURL: url.map { [$0] }, .authorizerClientID: clientID.map { [$0] },
            .authorizerAdminSecret: adminSecret.map { [$0] }, .authorizerJWTSecret: jwtSecret.map { [$0] },
            .authorizerPreviousJWTSecret: previousJWTSecret.map { [$0] },
            .authorizerIssuer: issuer.map { [$0] }, .authorizerVersion: version.map { [$0] },
            .webAppURL: webAppURL.map { [$0] }, .authorizerBrowserURL: browserURL.map { [$0] },
            .guardMode: guardMode.map { [$0] }, .sessionCheckInterval: sessionCheckInterval.map { [$0] },
            .superAdmins: superAdmins, .roleMapping: roleMappings, .reconcileInterval: reconcileInterval.map { [$0] },
        ]
    }

    /// An http or https address `setting` names, without a trailing slash; nil when unset.
    static func origin(_ setting: Setting, _ settings: SettingsReader) throws -> String? {
        guard let text = settings.text(setting) else { return nil }
        guard let parts = URLComponents(string: text), ["http", "https"].contains(parts.scheme ?? ""),
            parts.host?.isEmpty == false
        else { throw settings.refusal(setting, text, "is not an http or https URL") }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    /// How to reach Authorizer, from `settings`; nil without an Authorizer URL.
    func settings(from settings: SettingsReader) throws -> AuthorizerSettings? {
        guard let url = settings.text(.authorizerURL) else { return nil }
        guard URL(string: url)?.host != nil else { throw settings.refusal(.authorizerURL, url, "is not a URL") }
        guard let clientID = settings.text(.authorizerClientID), !clientID.isEmpty else {
            throw ValidationError("--authorizer-client-id (or AUTHORIZER_CLIENT_ID) is required with --authorizer-url")
        }
        var result = AuthorizerSettings(
            url: url, clientID: clientID, adminSecret: try settings.secret(.authorizerAdminSecret))
        result.jwtSecret = try settings.secret(
            .authorizerJWTSecret, minimumBytes: 1, warnBelow: SecretSetting.jwtRecommendedBytes)
        result.previousJWTSecret = try settings.secret(
            .authorizerPreviousJWTSecret, minimumBytes: 1, warnBelow: SecretSetting.jwtRecommendedBytes)
        if result.previousJWTSecret != nil, result.jwtSecret == nil {
            throw ValidationError(
                "\(settings.source(.authorizerPreviousJWTSecret)): given without the current secret (--authorizer-jwt-secret)"
            )
        }
        result.issuer = settings.text(.authorizerIssuer)
        result.webAppURL = try Self.origin(.webAppURL, settings)
        result.browserURL = try Self.origin(.authorizerBrowserURL, settings)
        if let text = settings.text(.authorizerVersion) {
            guard let parsed = AuthorizerVersion(setting: text) else {
                throw settings.refusal(.authorizerVersion, text, "is not 1, 2 (2.4 and later) or 2.0 to 2.3")
            }
            result.version = parsed
        }
        let modeText = settings.text(.guardMode) ?? "hybrid"
        guard let mode = GuardMode(rawValue: modeText) else {
            throw settings.refusal(.guardMode, modeText, "is not one of remote, local, hybrid")
        }
        result.guardMode = mode
        var byRole: [String: Role] = [:]
        for mapping in settings.list(.roleMapping) where !mapping.isEmpty {
            let parts = mapping.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let role = Role(rawValue: parts[1].uppercased()), role != .superAdmin else {
                throw settings.refusal(
                    .roleMapping, mapping, "is not authorizerRole=USER|ADMIN (SUPER_ADMIN only through --super-admin)")
            }
            byRole[parts[0]] = role
        }
        let operators = settings.list(.superAdmins).map(RoleMapping.normalised).filter { !$0.isEmpty }
        result.roles = RoleMapping(byAuthorizerRole: byRole, superAdmins: Set(operators))
        // Bounded before it is multiplied: `minutes * 60` traps on overflow.
        if let minutes = try settings.int(
            .reconcileInterval, in: 0...527_040, meaning: "0 (off) to 527040 minutes (366 days)")
        {
            result.reconcileInterval = minutes == 0 ? nil : .seconds(minutes * 60)
        }
        if let seconds = try settings.int(.sessionCheckInterval, in: 1...86_400, meaning: "1 to 86400 seconds") {
            result.sessionCheckInterval = .seconds(seconds)
        }
        return result
    }
}
