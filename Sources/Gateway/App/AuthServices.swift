import AuthorizerClient
import Logging
import PlatformDB

/// What the gateway holds to speak with Authorizer and check its tokens, made once at start by
/// ``make(settings:stores:logger:)``.
struct AuthServices: Sendable {
    let settings: AuthorizerSettings
    /// Authorizer's GraphQL client (``AuthorizerSettings/requestTimeout`` per call).
    let client: AuthorizerClient
    let authGuard: AuthGuard
    let revocations: RevocationList
    let loader: UserContextLoader
    /// The JWKS, when tokens are checked with Authorizer's public keys rather than its HMAC secret.
    let jwks: JWKSCache?
    /// Frees an email a stale row holds, asking Authorizer (with the admin secret) whose it is.
    let ownership: EmailOwnership
    /// Reconciles users with Authorizer; nil without the admin secret.
    let reconciler: Reconciler?
    let throttle: AuthThrottle

    /// Connects to Authorizer (detecting its version unless configured), picks the token keys and
    /// issuer, and builds the guard and the user context loader. An Authorizer that cannot be
    /// reached keeps nothing from starting: 2.x is assumed and a warning logged.
    static func make(
        settings: AuthorizerSettings, limits: AuthRateLimits, stores: Stores, logger: Logger
    ) async throws -> AuthServices {
        var configuration = AuthorizerClient.Configuration(
            url: settings.url, clientID: settings.clientID, adminSecret: settings.adminSecret)
        configuration.timeout = .nanoseconds(
            Int64(settings.requestTimeout.components.seconds) * 1_000_000_000 + settings.requestTimeout.components
                .attoseconds / 1_000_000_000)
        let client = await connect(configuration, version: settings.version, logger: logger)
        logger.info(
            "Authorizer",
            metadata: ["url": "\(settings.url)", "version": "\(client.version)", "guard": "\(settings.guardMode)"])
        await warnAboutWeakSettings(settings, client: client, logger: logger)
        let jwks = settings.jwtSecret == nil ? JWKSCache(authorizerURL: settings.url, logger: logger) : nil
        let keys: TokenVerifier.Keys =
            jwks.map { .jwks($0) }
            ?? .hmac(secrets: [settings.jwtSecret ?? ""] + (settings.previousJWTSecret.map { [$0] } ?? []))
        let issuer = await issuer(settings, client: client, logger: logger)
        let verifier = await TokenVerifier(keys: keys, issuer: issuer, audience: settings.clientID)
        let revocations = RevocationList()
        // Hybrid's periodic session check is best effort (a failure to reach Authorizer lets the
        // request through): one attempt of at most 1 s, so a hung Authorizer delays a read by 1 s at most.
        var sessionConfiguration = configuration
        sessionConfiguration.attempts = 1
        sessionConfiguration.timeout = .seconds(1)
        let sessionClient = AuthorizerClient(
            configuration: sessionConfiguration, version: client.version, logger: logger)
        let authGuard = AuthGuard(
            mode: settings.guardMode, verifier: verifier, client: client, revocations: revocations,
            sessions: SessionChecker(client: sessionClient, interval: settings.sessionCheckInterval), logger: logger)
        // Whose an email is, Authorizer says with the admin secret; without it a stale holder is released.
        let adminClient = settings.adminSecret == nil ? nil : client
        let loader = UserContextLoader(
            users: stores.users, tenants: stores.tenants, client: client, ttl: settings.userCacheTTL,
            roles: settings.roles, logger: logger,
            ownership: EmailOwnership(client: adminClient, users: stores.users, loader: nil, logger: logger))
        let reconciler = settings.adminSecret.map { _ in
            Reconciler(client: client, database: stores.database, roles: settings.roles, logger: logger)
        }
        return AuthServices(
            settings: settings, client: client, authGuard: authGuard, revocations: revocations, loader: loader,
            jwks: jwks,
            ownership: EmailOwnership(client: adminClient, users: stores.users, loader: loader, logger: logger),
            reconciler: reconciler,
            throttle: AuthThrottle(
                limits, shared: stores.database.dialect == .postgres ? RateWindowStore(stores.database) : nil,
                logger: logger))
    }

    /// The client for the configured version, else the version Authorizer reports.
    private static func connect(
        _ configuration: AuthorizerClient.Configuration, version: AuthorizerVersion?, logger: Logger
    ) async -> AuthorizerClient {
        if let version { return AuthorizerClient(configuration: configuration, version: version, logger: logger) }
        do {
            return try await AuthorizerClient.connect(configuration: configuration, logger: logger)
        } catch {
            // An Authorizer outage must not keep the gateway down; 2.x is the target.
            logger.warning("cannot detect Authorizer's version; assuming 2.x", metadata: ["error": "\(error)"])
            return AuthorizerClient(configuration: configuration, version: .v2, logger: logger)
        }
    }

    /// The tokens' issuer: as configured, else what Authorizer's discovery document says (a
    /// gateway may reach Authorizer by an internal address), else the scheme and host of its URL,
    /// which is what 2.4 derives from its own --url (`internal/parsers/url.go`).
    private static func issuer(_ settings: AuthorizerSettings, client: AuthorizerClient, logger: Logger) async -> String
    {
        if let issuer = settings.issuer { return issuer }
        let origin = AuthorizerClient.origin(of: settings.url)
        guard let discovered = await client.discoveredIssuer() else { return origin }
        if discovered != origin {
            logger.notice(
                "the tokens' issuer, read from Authorizer's discovery document", metadata: ["issuer": "\(discovered)"])
        }
        return discovered
    }

    /// Settings that work but weaken the gateway, said once at start.
    private static func warnAboutWeakSettings(_ settings: AuthorizerSettings, client: AuthorizerClient, logger: Logger)
        async
    {
        // Operator rights by email are only as strong as Authorizer's email verification.
        if settings.roles.namesOperatorsByEmail, let meta = try? await client.meta(), !meta.isEmailVerificationEnabled {
            logger.warning(
                "operators are named by email while Authorizer verifies no email address: whoever signs up first with an operator's address becomes SUPER_ADMIN; name operators by Authorizer id, or turn on Authorizer's email verification"
            )
        }
        if let secret = settings.jwtSecret, secret.utf8.count < SecretSetting.jwtRecommendedBytes {
            logger.warning("\(SecretSetting.shortJWTSecretWarning(key: "--authorizer-jwt-secret"))")
        }
    }
}
