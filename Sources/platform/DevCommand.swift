import ArgumentParser
import Foundation
import Gateway
import Hummingbird
import LocalAuthorizer
import Logging
import PlatformDB
import ServiceLifecycle

/// `platform dev`: everything on one machine with no setup: the gateway on SQLite and the local
/// Authorizer beside it, in one process.
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract:
            "Run the system locally with no setup: the gateway and the local Authorizer, on SQLite under ./data/.",
        discussion: """
            Examples:
              platform dev
              platform dev --port 9080 --authorizer-port 9081 --log-format json
              platform dev --super-admin ops@example.com
            Secrets are generated on the first run and kept in data/dev-secrets.json.
            """
    )

    @Option(help: "Gateway port.")
    var port = 8080

    @Option(name: .customLong("authorizer-port"), help: "Local Authorizer port.")
    var authorizerPort = 8081

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical. Env: LOG_LEVEL. Default: info")
    var logLevel: String?

    @Option(help: "Log format: text or json. Env: LOG_FORMAT. Default: text")
    var logFormat: String?

    @Option(
        name: .customLong("super-admin"),
        help: "Email of a platform operator (SUPER_ADMIN) once they sign up; repeatable.")
    var superAdmins: [String] = []

    @Flag(
        name: .customLong("disable-mfa"),
        help: "Run the local Authorizer with MFA off (Authorizer 2.4 offers it by default).")
    var disableMFA = false

    @Flag(name: .customLong("enforce-mfa"), help: "Run the local Authorizer with MFA enforced (no skipping).")
    var enforceMFA = false

    @Flag(
        name: .customLong("enable-email-verification"),
        help: "Run the local Authorizer with email verification on (links in the dev outbox).")
    var enableEmailVerification = false

    @Flag(
        name: .customLong("enable-magic-link-login"),
        help: "Offer sign-in by mailed link (sent only with --enable-email-verification, as Authorizer does).")
    var enableMagicLinkLogin = false

    func run() async throws {
        var options = CommonOptions()
        options.logLevel = logLevel
        options.logFormat = logFormat
        options.databaseURL = DatabaseURL.defaultURLString
        let logger = try options.makeLogger(label: "platform.dev")
        let secrets = try DevSecrets.loadOrCreate(at: "data/dev-secrets.json")

        var authorizer = AuthorizerConfiguration(
            clientID: "platform-dev", clientSecret: secrets.clientSecret, adminSecret: secrets.adminSecret)
        authorizer.httpPort = authorizerPort
        authorizer.jwtType = .rs256
        authorizer.databaseURL = try DatabaseURL("sqlite://data/authorizer/authorizer.sqlite")
        authorizer.dataFolder = "data/authorizer"
        // Webhooks wired both ways: the local Authorizer signs with its client secret, the gateway checks it.
        authorizer.webhookURLs = ["http://127.0.0.1:\(port)/webhooks/authorizer"]
        // Authorizer 2.4 refuses webhooks to loopback unless started with --env=e2e.
        authorizer.env = "e2e"
        authorizer.disableMFA = disableMFA
        authorizer.enforceMFA = enforceMFA
        authorizer.enableEmailVerification = enableEmailVerification
        authorizer.enableMagicLinkLogin = enableMagicLinkLogin
        // No mail leaves dev: each link or code is logged, and listed at the web app's #/dev/outbox.
        authorizer.logMailLinks = true
        // The web app's origin may receive reset links (validators/url.go), and the gateway's calls
        // come from the Authorizer's own origin.
        authorizer.allowedOrigins = ["http://127.0.0.1:\(port)", "http://127.0.0.1:\(authorizerPort)"]
        var webhooks = WebhookAuthentication()
        webhooks.authorizerSecret = secrets.clientSecret
        var settings = AuthorizerSettings(
            url: "http://127.0.0.1:\(authorizerPort)", clientID: authorizer.clientID, adminSecret: secrets.adminSecret)
        settings.version = .v2
        settings.guardMode = .hybrid
        settings.roles = RoleMapping(superAdmins: Set(superAdmins))
        // Served over http://127.0.0.1, where a Secure cookie would not be sent back.
        settings.sessionCookieSecure = false
        settings.webAppURL = "http://127.0.0.1:\(port)"
        var gateway = GatewayConfiguration(
            host: "127.0.0.1", port: port, databaseURL: try options.resolvedDatabaseURL(), migrateOnStart: true,
            authorizer: settings, webhooks: webhooks)
        gateway.metrics = MetricsBootstrap.registry
        let outboxURL = "http://127.0.0.1:\(authorizerPort)"
        let adminSecret = secrets.adminSecret
        gateway.devOutbox = { try await readDevOutbox(authorizerURL: outboxURL, adminSecret: adminSecret) }

        // Written unbuffered so it shows before the servers' own log lines.
        FileHandle.standardOutput.write(
            Data(
                """
                platform dev
                  web app          http://127.0.0.1:\(port)/   (reports-client: sign up a company there)
                  gateway          http://127.0.0.1:\(port)   (try: curl -s http://127.0.0.1:\(port)/readyz)
                  local Authorizer http://127.0.0.1:\(authorizerPort)   (client id platform-dev, RS256)
                  databases        \(gateway.databaseURL), \(authorizer.databaseURL)
                  dev secrets      data/dev-secrets.json (client and admin secret; kept between runs)
                  mail             none leaves dev: links and codes are logged and listed at http://127.0.0.1:\(port)/#/dev/outbox
                  second factor    offered at first sign-in, as Authorizer 2.4 does (--disable-mfa turns it off)

                try it (the signup answers the second-factor step; skip it with its handle):
                  HANDLE=$(curl -s -X POST http://127.0.0.1:\(port)/auth/signup -H 'Content-Type: application/json' \\
                    -d '{"email":"ada@example.com","password":"Str0ng!pass","confirmPassword":"Str0ng!pass","clientName":"Acme"}' \\
                    | sed 's/.*"handle":"\\([^"]*\\)".*/\\1/')
                  curl -s -X POST http://127.0.0.1:\(port)/auth/mfa/skip -H 'Content-Type: application/json' -d "{\\"handle\\":\\"$HANDLE\\"}"
                  TOKEN=$(curl -s -X POST http://127.0.0.1:\(port)/auth/login -H 'Content-Type: application/json' \\
                    -d '{"email":"ada@example.com","password":"Str0ng!pass"}' | sed 's/.*"accessToken":"\\([^"]*\\)".*/\\1/')
                  curl -s http://127.0.0.1:\(port)/auth/me -H "Authorization: Bearer $TOKEN"

                """.utf8))

        let database = try await PlatformDatabase.open(gateway.databaseURL, logger: logger)
        let services: [any Service] = [
            try await buildAuthorizerApplication(configuration: authorizer, logger: logger),
            try await buildApplication(configuration: gateway, database: database, logger: logger),
        ]
        try await ServeCommand.runGracefully(services, timeout: gateway.shutdownTimeout, logger: logger)
    }
}
