import Foundation
import Hummingbird
import Logging
import PlatformDB

/// Builds the Authorizer-compatible server: `platform authorizer`, `platform dev` and the tests
/// all call this.
public func buildAuthorizerApplication(
    configuration: AuthorizerConfiguration,
    logger: Logger
) async throws -> some ApplicationProtocol {
    let database = try await PlatformDatabase.open(configuration.databaseURL, logger: logger)
    let store = AuthorizerStore(database: database)
    let tokens = try await TokenService.make(configuration)
    let webhooks = WebhookDispatcher(
        store: store, clientSecret: configuration.clientSecret, allowPrivate: configuration.allowsPrivateWebhooks,
        timeoutSeconds: configuration.webhookTimeout,
        logger: logger)
    let auth = AuthService(
        configuration: configuration, store: store, tokens: tokens, webhooks: webhooks, logger: logger)
    let admin = AdminService(configuration: configuration, store: store, webhooks: webhooks)
    let schema = try Resolvers(configuration: configuration, auth: auth, admin: admin).makeSchema()
    let endpoint = GraphQLEndpoint(configuration: configuration, schema: schema, logger: logger)

    let router = Router(context: AuthorizerRequestContext.self)
    if configuration.rateLimitRPS > 0 {
        router.add(
            middleware: RateLimitMiddleware(
                buckets: TokenBuckets(rate: configuration.rateLimitRPS, burst: configuration.rateLimitBurst)))
    }
    router.post("/graphql") { request, _ in try await endpoint.handle(request) }
    router.get("/.well-known/jwks.json") { _, _ in
        Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: tokens.jwksJSON)))
    }
    router.get("/.well-known/openid-configuration") { _, _ in
        GraphQLEndpoint.encode(
            .ok, OpenIDConfiguration(issuer: configuration.issuer, algorithm: tokens.algorithm.rawValue))
    }
    router.get("/healthz") { _, _ in GraphQLEndpoint.json(.ok, ["status": "ok"]) }
    OAuthController(auth: auth, endpoint: endpoint).addRoutes(to: router)
    AuthorizeController(auth: auth, configuration: configuration).addRoutes(to: router)

    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.httpPort)),
        services: [database, webhooks],
        logger: logger
    )
    app.beforeServerStarts {
        try await Migrator(migrations: AuthorizerMigrations.all, ledger: AuthorizerMigrations.ledger, logger: logger)
            .migrate(database)
        for endpoint in configuration.webhookURLs {
            try await admin.subscribeToEveryEvent(endpoint)
        }
    }
    return app
}

/// The discovery document at `/.well-known/openid-configuration`.
struct OpenIDConfiguration: Encodable {
    var issuer: String
    var jwks_uri: String
    var authorization_endpoint: String
    var token_endpoint: String
    var userinfo_endpoint: String
    var revocation_endpoint: String
    var end_session_endpoint: String
    var response_types_supported = ["code", "token", "id_token"]
    var code_challenge_methods_supported = ["S256", "plain"]
    var scopes_supported = ["openid", "email", "profile", "offline_access"]
    var id_token_signing_alg_values_supported: [String]
    var claims_supported = [
        "aud", "exp", "iss", "iat", "sub", "given_name", "family_name", "middle_name", "nickname",
        "preferred_username", "picture", "email", "email_verified", "roles", "role", "gender", "birthdate",
        "phone_number", "phone_number_verified", "nonce",
    ]

    init(issuer: String, algorithm: String) {
        self.issuer = issuer
        jwks_uri = issuer + "/.well-known/jwks.json"
        authorization_endpoint = issuer + "/authorize"
        token_endpoint = issuer + "/oauth/token"
        userinfo_endpoint = issuer + "/userinfo"
        revocation_endpoint = issuer + "/oauth/revoke"
        end_session_endpoint = issuer + "/logout"
        id_token_signing_alg_values_supported = [algorithm]
    }
}
