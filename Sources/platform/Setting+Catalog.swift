/// Every setting a command reads from its flags and the environment, by its flag and its variable
/// (docs/configuration.md lists them with their defaults).
extension Setting {
    // Every command.
    static let databaseURL = Setting(flag: "--database-url", variable: "DATABASE_URL", isSecret: true)
    static let logLevel = Setting(flag: "--log-level", variable: "LOG_LEVEL")
    static let logFormat = Setting(flag: "--log-format", variable: "LOG_FORMAT")

    // `serve`.
    static let host = Setting(flag: "--host", variable: "HOST")
    static let port = Setting(flag: "--port", variable: "PORT")
    static let shutdownTimeout = Setting(flag: "--shutdown-timeout", variable: "SHUTDOWN_TIMEOUT")
    static let corsAllowedOrigins = Setting(
        flag: "--cors-allowed-origin", variable: "CORS_ALLOWED_ORIGINS", isList: true)
    static let authRateLimitPerIP = Setting(flag: "--auth-rate-limit-per-ip", variable: "AUTH_RATE_LIMIT_PER_IP")
    static let authRateLimitPerEmail = Setting(
        flag: "--auth-rate-limit-per-email", variable: "AUTH_RATE_LIMIT_PER_EMAIL")
    static let authFailedLoginsPerAddress = Setting(
        flag: "--auth-failed-logins-per-address", variable: "AUTH_FAILED_LOGINS_PER_ADDRESS")
    static let pageCacheMB = Setting(flag: "--page-cache-mb", variable: "PAGE_CACHE_MB")
    static let tenantKey = Setting(flag: "--tenant-key", variable: "TENANT_KEY", isSecret: true)
    static let drainPeriod = Setting(flag: "--drain-period", variable: "DRAIN_PERIOD")
    static let databasePoolSize = Setting(flag: "--database-pool-size", variable: "DATABASE_POOL_SIZE")
    static let databasePooler = Setting(flag: "--database-pooler", variable: "DATABASE_POOLER")
    static let databaseListenURL = Setting(
        flag: "--database-listen-url", variable: "DATABASE_LISTEN_URL", isSecret: true)
    static let databaseReadURL = Setting(flag: "--database-read-url", variable: "DATABASE_READ_URL", isSecret: true)
    static let metricsPort = Setting(flag: "--metrics-port", variable: "METRICS_PORT")
    static let metricsHost = Setting(flag: "--metrics-host", variable: "METRICS_HOST")
    static let webhookRetentionDays = Setting(flag: "--webhook-retention-days", variable: "WEBHOOK_RETENTION_DAYS")

    // `serve`: Authorizer.
    static let authorizerURL = Setting(flag: "--authorizer-url", variable: "AUTHORIZER_URL")
    static let authorizerClientID = Setting(flag: "--authorizer-client-id", variable: "AUTHORIZER_CLIENT_ID")
    static let authorizerAdminSecret = Setting(
        flag: "--authorizer-admin-secret", variable: "AUTHORIZER_ADMIN_SECRET", isSecret: true)
    static let authorizerJWTSecret = Setting(
        flag: "--authorizer-jwt-secret", variable: "AUTHORIZER_JWT_SECRET", isSecret: true)
    static let authorizerPreviousJWTSecret = Setting(
        flag: "--authorizer-previous-jwt-secret", variable: "AUTHORIZER_PREVIOUS_JWT_SECRET", isSecret: true)
    static let authorizerIssuer = Setting(flag: "--authorizer-issuer", variable: "AUTHORIZER_ISSUER")
    static let authorizerVersion = Setting(flag: "--authorizer-version", variable: "AUTHORIZER_VERSION")
    static let webAppURL = Setting(flag: "--web-app-url", variable: "WEB_APP_URL")
    static let authorizerBrowserURL = Setting(flag: "--authorizer-browser-url", variable: "AUTHORIZER_BROWSER_URL")
    static let guardMode = Setting(flag: "--guard-mode", variable: "GUARD_MODE")
    static let sessionCheckInterval = Setting(flag: "--session-check-interval", variable: "SESSION_CHECK_INTERVAL")
    static let superAdmins = Setting(flag: "--super-admin", variable: "SUPER_ADMINS", isList: true)
    static let roleMapping = Setting(flag: "--role-mapping", variable: "ROLE_MAPPING", isList: true)
    static let reconcileInterval = Setting(flag: "--reconcile-interval", variable: "RECONCILE_INTERVAL")

    // `serve`: webhooks.
    static let webhookAuthorizerSecret = Setting(
        flag: "--webhook-authorizer-secret", variable: "WEBHOOK_AUTHORIZER_SECRET", isSecret: true)
    static let webhookAuthorizerPreviousSecret = Setting(
        flag: "--webhook-authorizer-previous-secret", variable: "WEBHOOK_AUTHORIZER_PREVIOUS_SECRET", isSecret: true)
    static let webhookSignatureSecret = Setting(
        flag: "--webhook-signature-secret", variable: "WEBHOOK_SIGNATURE_SECRET", isSecret: true)
    static let webhookStandardSecrets = Setting(
        flag: "--webhook-standard-secret", variable: "WEBHOOK_STANDARD_SECRETS", isSecret: true, isList: true)
    static let webhookStaticHeader = Setting(
        flag: "--webhook-static-header", variable: "WEBHOOK_STATIC_HEADER", isSecret: true)

    // `authorizer`, the local Authorizer.
    static let clientSecret = Setting(flag: "--client-secret", variable: "AUTHORIZER_CLIENT_SECRET", isSecret: true)
    static let adminSecret = Setting(flag: "--admin-secret", variable: "AUTHORIZER_ADMIN_SECRET", isSecret: true)
    static let jwtSecret = Setting(flag: "--jwt-secret", variable: "AUTHORIZER_JWT_SECRET", isSecret: true)
}

extension Setting {
    /// Flags that may be given more than once: the list settings, and the local Authorizer's
    /// `--webhook` and `--jwt-previous-public-key`.
    static let repeatableFlags: Set<String> = [
        corsAllowedOrigins.flag, superAdmins.flag, roleMapping.flag, webhookStandardSecrets.flag, "--webhook",
        "--jwt-previous-public-key",
    ]

    /// The first flag of `arguments` given twice that takes one value: ArgumentParser would keep
    /// the last silently. Scanning stops at `--`.
    static func repeatedFlag(in arguments: [String]) -> String? {
        var seen = Set<String>()
        for argument in arguments {
            if argument == "--" { break }
            guard argument.hasPrefix("--") else { continue }
            let name = String(argument.split(separator: "=", maxSplits: 1)[0])
            if repeatableFlags.contains(name) { continue }
            if !seen.insert(name).inserted { return name }
        }
        return nil
    }
}
