import AsyncHTTPClient
import AuthorizerClient
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JWTKit
import LocalAuthorizer
import Logging
import PlatformDB
import TestSupport
import Testing
import _CryptoExtras

/// The gateway and the local Authorizer, both on real sockets, talking over real HTTP.
struct GatewayHarness: Sendable {
    let gateway: any TestClientProtocol
    let authorizerURL: String
    let authorizer: AuthorizerConfiguration
    let database: PlatformDatabase
    /// The key the local Authorizer signs with, so tests can forge tokens with it.
    let signingKeyPEM: String
    /// Every route the gateway serves.
    let catalog: RouteCatalog

    static let logger = Logger(label: "test.gateway")
    static let password = "Str0ng!pass"
    /// One RSA key for the whole run: generating one per test is slow.
    static let signingKeyPEM: String = {
        (try? _RSA.Signing.PrivateKey(keySize: .bits2048).pemRepresentation) ?? ""
    }()

    /// Which database the gateway runs on: in-memory SQLite, or a fresh migrated PostgreSQL
    /// database of the test server (recorded under the test's name).
    enum Backend: String, Sendable, CaseIterable, CustomTestStringConvertible {
        case sqlite, postgres
        var testDescription: String { rawValue }
        /// The backends this run has: PostgreSQL only when a test server is given.
        static var available: [Backend] { TestPostgres.adminURL == nil ? [.sqlite] : allCases }
    }

    static func with(
        mode: GuardMode,
        backend: Backend = .sqlite,
        test: String = #function,
        sessionCheckInterval: Duration = .seconds(1),
        emailVerification: Bool = false,
        webhooksDelivered: Bool = true,
        superAdmins: Set<String> = [],
        bcryptCost: UInt8 = 4,
        authorizerConfigure: @Sendable (inout AuthorizerConfiguration) -> Void = { _ in },
        configure: @Sendable (inout GatewayConfiguration) -> Void = { _ in },
        _ body: @Sendable (GatewayHarness) async throws -> Void
    ) async throws {
        var authorizer = AuthorizerConfiguration(
            clientID: "gateway-test", clientSecret: "cs-\(UUID().uuidString)", adminSecret: "as-\(UUID().uuidString)")
        authorizer.httpPort = 0
        authorizer.jwtType = .rs256
        authorizer.jwtPrivateKey = signingKeyPEM
        authorizer.bcryptCost = bcryptCost
        authorizer.enableEmailVerification = emailVerification
        authorizer.env = "e2e"  // the gateway under test listens on loopback
        // Most tests are of password sign-in; MFA tests turn it back on (2.4 has it on by default).
        authorizer.disableMFA = true
        authorizerConfigure(&authorizer)
        let settled = authorizer
        let authorizerApp = try await buildAuthorizerApplication(configuration: settled, logger: logger)
        try await authorizerApp.test(.ahc(.http)) { authorizerClient in
            let url = "http://localhost:\(authorizerClient.port ?? 0)"
            var settings = AuthorizerSettings(url: url, clientID: settled.clientID, adminSecret: settled.adminSecret)
            settings.issuer = settled.issuer
            settings.guardMode = mode
            settings.sessionCheckInterval = sessionCheckInterval
            settings.userCacheTTL = .milliseconds(1)
            settings.roles = RoleMapping(superAdmins: superAdmins)
            settings.reconcileInterval = nil
            // A whole suite on two cores can keep the twin from answering within production's 2.5 s.
            settings.requestTimeout = .seconds(10)
            try await Self.withDatabase(backend, test: test) { [settings] databaseURL, database in
                var webhooks = WebhookAuthentication()
                webhooks.authorizerSecret = settled.clientSecret
                let catalog = RouteCatalog()
                var configuration = GatewayConfiguration(
                    port: 0, databaseURL: databaseURL, migrateOnStart: backend == .sqlite, authorizer: settings,
                    webhooks: webhooks)
                configure(&configuration)
                let app = try await buildApplication(
                    configuration: configuration,
                    database: database, logger: logger, catalog: catalog)
                try await app.test(.ahc(.http)) { gateway in
                    // Authorizer's webhooks go to the gateway, as `platform dev` wires them.
                    for event in webhooksDelivered
                        ? [
                            "user.signup", "user.login", "user.deleted", "user.deactivated", "user.access_revoked",
                            "user.access_enabled",
                        ] : []
                    {
                        try await Self.addWebhook(
                            authorizerURL: url, adminSecret: settled.adminSecret, event: event,
                            endpoint: "http://127.0.0.1:\(gateway.port ?? 0)/webhooks/authorizer")
                    }
                    try await body(
                        GatewayHarness(
                            gateway: gateway, authorizerURL: url, authorizer: settled, database: database,
                            signingKeyPEM: signingKeyPEM, catalog: catalog))
                }
            }
        }
    }

    /// Opens the backend's database for `body`: SQLite in memory, or a new migrated PostgreSQL database.
    static func withDatabase(
        _ backend: Backend, test: String, _ body: @Sendable (DatabaseURL, PlatformDatabase) async throws -> Void
    ) async throws {
        switch backend {
        case .sqlite:
            try await body(.sqliteMemory, try await PlatformDatabase.open(.sqliteMemory, logger: logger))
        case .postgres:
            // The application runs the database as one of its services, and closes it with them.
            try await TestPostgres.shared.withDatabase(migrated: true, test: test) { url in
                try await body(url, try await PlatformDatabase.open(url, logger: logger))
            }
        }
    }

    struct Reply: Sendable {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var json: JSON
        var text: String
    }

    func request(
        _ method: HTTPRequest.Method, _ uri: String, json: [String: Any]? = nil, body: Data? = nil,
        authorization: [String] = [], bearer: String? = nil, ifMatch: String? = nil, headers extra: HTTPFields = [:]
    ) async throws -> Reply {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers.append(contentsOf: extra)
        if let ifMatch { headers[.ifMatch] = ifMatch }
        for value in authorization { headers.append(HTTPField(name: .authorization, value: value)) }
        if let bearer { headers[.authorization] = "Bearer \(bearer)" }
        let data = try body ?? json.map { try JSONSerialization.data(withJSONObject: $0) }
        return try await gateway.execute(
            uri: uri, method: method, headers: headers, body: data.map { ByteBuffer(bytes: $0) }
        ) {
            let text = String(buffer: $0.body)
            return Reply(status: $0.status, headers: $0.headers, json: JSON(parsing: text), text: text)
        }
    }

    @discardableResult
    func signup(_ email: String, clientName: String? = nil) async throws -> Reply {
        var body: [String: Any] = ["email": email, "password": Self.password, "confirmPassword": Self.password]
        if let clientName { body["clientName"] = clientName }
        return try await request(.post, "/auth/signup", json: body)
    }

    func login(_ email: String) async throws -> String {
        let reply = try await request(.post, "/auth/login", json: ["email": email, "password": Self.password])
        guard let token = reply.json["accessToken"].string else {
            throw CocoaError(.coderInvalidValue, userInfo: [NSLocalizedDescriptionKey: "login failed: \(reply.text)"])
        }
        return token
    }

    /// A client of the local Authorizer, for acting there directly (behind the gateway's back).
    var authorizerClient: AuthorizerClient {
        AuthorizerClient(
            configuration: .init(
                url: authorizerURL, clientID: authorizer.clientID, adminSecret: authorizer.adminSecret),
            version: .v2)
    }

    static func addWebhook(authorizerURL: String, adminSecret: String, event: String, endpoint: String) async throws {
        var request = HTTPClientRequest(url: authorizerURL + "/graphql")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Origin", value: authorizerURL)
        request.headers.add(name: "x-authorizer-admin-secret", value: adminSecret)
        let query = "mutation ($p: AddWebhookRequest!) { _add_webhook(params: $p) { message } }"
        let variables: [String: Any] = ["p": ["event_name": event, "endpoint": endpoint, "enabled": true]]
        request.body = .bytes(
            ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: ["query": query, "variables": variables])))
        _ = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
    }

    /// Waits until `condition` holds, up to `timeout`.
    func eventually(_ timeout: Duration = .seconds(5), _ condition: @Sendable () async throws -> Bool) async throws
        -> Bool
    {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(25))
        }
        return try await condition()
    }

    /// What the local Authorizer "mailed", oldest first (its development outbox).
    func outbox() async throws -> [[String: Any]] {
        var request = HTTPClientRequest(url: authorizerURL + "/_dev/outbox")
        request.headers.add(name: "x-authorizer-admin-secret", value: authorizer.adminSecret)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 1 << 20)
        return
            ((try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any])?["messages"]
            as? [[String: Any]]) ?? []
    }

    /// The newest one-time code the local Authorizer "mailed" (an `email_otp` message).
    func mailedCode() async throws -> String? {
        try await outbox().last { $0["kind"] as? String == "email_otp" }?["code"] as? String
    }

    /// The newest link of `kind` the local Authorizer "mailed".
    func mailedLink(kind: String) async throws -> String? {
        try await outbox().last { $0["kind"] as? String == kind }?["link"] as? String
    }

    /// The `token` of the newest link of `kind` the local Authorizer "mailed".
    func mailedToken(kind: String) async throws -> String? {
        guard let link = try await mailedLink(kind: kind) else { return nil }
        return URLComponents(string: link)?.queryItems?.first { $0.name == "token" }?.value
    }

    /// An admin GraphQL call straight to the local Authorizer.
    func authorizerAdmin(_ query: String, variables: [String: Any]) async throws {
        var request = HTTPClientRequest(url: authorizerURL + "/graphql")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Origin", value: authorizerURL)
        request.headers.add(name: "x-authorizer-admin-secret", value: authorizer.adminSecret)
        request.body = .bytes(
            ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: ["query": query, "variables": variables])))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        #expect(!text.contains("\"errors\""), "\(text)")
    }
}

/// A forgiving view into parsed JSON for assertions.
struct JSON: @unchecked Sendable {  // wraps JSONSerialization output, never mutated
    let value: Any?
    init(_ value: Any?) { self.value = value }
    init(parsing text: String) {
        value = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }
    subscript(key: String) -> JSON { JSON((value as? [String: Any])?[key]) }
    var string: String? { value as? String }
    var int: Int? { value as? Int }
    var bool: Bool? { value as? Bool }
    var array: [JSON] { (value as? [Any] ?? []).map(JSON.init) }
    var isNull: Bool { value == nil || value is NSNull }
}
