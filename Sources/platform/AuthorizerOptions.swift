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
    @Option(name: .customLong("guard-mode"), help: "remote, local or hybrid. Env: GUARD_MODE. Default: hybrid")
    var guardMode: String?
    @Option(
        name: .customLong("session-check-interval"),
        help:
            "Hybrid mode: seconds a session is trusted after a remote check (one in use is checked again in the background after 50-75% of it). Env: SESSION_CHECK_INTERVAL. Default: 30"
    )
    var sessionCheckInterval: Int?
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
    var reconcileInterval: Int?

    func settings() throws -> AuthorizerSettings? {
        let environment = ProcessInfo.processInfo.environment
        guard let url = url ?? environment["AUTHORIZER_URL"] else { return nil }
        guard URL(string: url)?.host != nil else { throw ValidationError("--authorizer-url: '\(url)' is not a URL") }
        guard let clientID = clientID ?? environment["AUTHORIZER_CLIENT_ID"], !clientID.isEmpty else {
            throw ValidationError("--authorizer-client-id (or AUTHORIZER_CLIENT_ID) is required with --authorizer-url")
        }
        var settings = AuthorizerSettings(
            url: url, clientID: clientID,
            adminSecret: try secretSetting(
                adminSecret, flag: "--authorizer-admin-secret", environment: "AUTHORIZER_ADMIN_SECRET"))
        settings.jwtSecret = try secretSetting(
            jwtSecret, flag: "--authorizer-jwt-secret", environment: "AUTHORIZER_JWT_SECRET", minimumBytes: 1,
            warnBelow: SecretSetting.jwtRecommendedBytes)
        settings.issuer = issuer ?? environment["AUTHORIZER_ISSUER"]
        if let text = version ?? environment["AUTHORIZER_VERSION"] {
            guard let parsed = AuthorizerVersion(setting: text) else {
                throw ValidationError("--authorizer-version: '\(text)' is not 1, 2 (2.4 and later) or 2.0 to 2.3")
            }
            settings.version = parsed
        }
        let modeText = guardMode ?? environment["GUARD_MODE"] ?? "hybrid"
        guard let mode = GuardMode(rawValue: modeText) else {
            throw ValidationError("--guard-mode: '\(modeText)' is not one of remote, local, hybrid")
        }
        settings.guardMode = mode
        let operators =
            superAdmins.isEmpty
            ? (environment["SUPER_ADMINS"] ?? "").split(separator: ",").map(String.init) : superAdmins
        var byRole: [String: Role] = [:]
        let mappings =
            roleMappings.isEmpty
            ? (environment["ROLE_MAPPING"] ?? "").split(separator: ",").map(String.init) : roleMappings
        for mapping in mappings where !mapping.isEmpty {
            let parts = mapping.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let role = Role(rawValue: parts[1].uppercased()), role != .superAdmin else {
                throw ValidationError(
                    "--role-mapping: '\(mapping)' is not authorizerRole=USER|ADMIN (SUPER_ADMIN only through --super-admin)"
                )
            }
            byRole[parts[0]] = role
        }
        settings.roles = RoleMapping(
            byAuthorizerRole: byRole, superAdmins: Set(operators.map(RoleMapping.normalised).filter { !$0.isEmpty }))
        if let minutes = reconcileInterval ?? environment["RECONCILE_INTERVAL"].flatMap(Int.init) {
            // Bounded before it is multiplied: `minutes * 60` traps on overflow.
            guard (0...527_040).contains(minutes) else {
                throw ValidationError("--reconcile-interval must be 0 (off) to 527040 minutes (366 days)")
            }
            settings.reconcileInterval = minutes == 0 ? nil : .seconds(minutes * 60)
        }
        if let seconds = sessionCheckInterval ?? environment["SESSION_CHECK_INTERVAL"].flatMap(Int.init) {
            guard seconds >= 1 else { throw ValidationError("--session-check-interval must be at least 1 second") }
            settings.sessionCheckInterval = .seconds(seconds)
        }
        return settings
    }
}
