import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import LocalAuthorizer

/// A running local Authorizer on a real socket, and helpers to talk GraphQL to it.
struct Harness: Sendable {
    let client: any TestClientProtocol
    let configuration: AuthorizerConfiguration
    var port: Int { client.port ?? 0 }
    var origin: String { "http://localhost:\(port)" }

    static let logger = Logger(label: "test.authorizer")

    /// Runs `body` against a fresh server with an in-memory database.
    static func with(
        jwtType: AuthorizerConfiguration.JWTType = .hs256,
        configure: (inout AuthorizerConfiguration) -> Void = { _ in },
        _ body: @Sendable (Harness) async throws -> Void
    ) async throws {
        var configuration = AuthorizerConfiguration(
            clientID: "test-client", clientSecret: "client-secret-" + UUID().uuidString,
            adminSecret: "admin-secret-" + UUID().uuidString)
        configuration.httpPort = 0
        configuration.env = "e2e"  // the tests' webhook receivers listen on loopback
        configuration.jwtType = jwtType
        configuration.jwtSecret = "jwt-secret-" + UUID().uuidString
        configuration.dataFolder =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("authorizer-test-\(UUID().uuidString)").path
        configuration.bcryptCost = 4  // the minimum: tests exercise behaviour, not hashing strength
        // Most tests are of password sign-in; MFA tests turn it back on (2.4 has it on by default).
        configuration.disableMFA = true
        configure(&configuration)
        let settled = configuration
        let app = try await buildAuthorizerApplication(configuration: settled, logger: logger)
        try await app.test(.ahc(.http)) { client in
            try await body(Harness(client: client, configuration: settled))
        }
    }

    struct Reply: Sendable {
        var status: HTTPResponse.Status
        var json: JSON
        var text: String
        var headers: HTTPFields = [:]

        /// The value of the cookie `name` set by this response.
        func setCookie(_ name: String) -> String? {
            headers[values: .setCookie].lazy.compactMap { header -> String? in
                guard header.hasPrefix(name + "=") else { return nil }
                return String(header.dropFirst(name.count + 1).prefix { $0 != ";" })
            }.first
        }
    }

    /// POSTs a GraphQL request the way the SDKs do.
    func graphql(
        _ query: String,
        variables: [String: Any] = [:],
        operationName: String? = nil,
        bearer: String? = nil,
        admin: Bool = false,
        origin: String? = nil,
        cookie: String? = nil
    ) async throws -> Reply {
        var body: [String: Any] = ["query": query, "variables": variables]
        if let operationName { body["operationName"] = operationName }
        return try await post(
            JSONSerialization.data(withJSONObject: body), bearer: bearer, admin: admin, origin: origin, cookie: cookie)
    }

    func post(
        _ data: Data, uri: String = "/graphql", contentType: String = "application/json", bearer: String? = nil,
        admin: Bool = false, origin: String? = nil, cookie: String? = nil
    ) async throws -> Reply {
        var headers: HTTPFields = [.contentType: contentType, .origin: origin ?? self.origin]
        if let cookie { headers[.cookie] = cookie }
        headers[HTTPField.Name("x-authorizer-client-id")!] = configuration.clientID
        if let bearer { headers[.authorization] = "Bearer \(bearer)" }
        if admin { headers[HTTPField.Name("x-authorizer-admin-secret")!] = configuration.adminSecret }
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: data)) {
            response in
            let text = String(buffer: response.body)
            return Reply(status: response.status, json: JSON(parsing: text), text: text, headers: response.headers)
        }
    }

    static let strongPassword = "Str0ng!pass"

    /// Signs up `email` and returns the AuthResponse.
    @discardableResult
    func signup(_ email: String, password: String = Harness.strongPassword, extra: [String: Any] = [:]) async throws
        -> JSON
    {
        var params: [String: Any] = ["email": email, "password": password, "confirm_password": password]
        params.merge(extra) { $1 }
        let reply = try await graphql(
            """
            mutation Signup($params: SignUpRequest!) {
              signup(params: $params) { message access_token id_token expires_in user { id email roles email_verified } }
            }
            """, variables: ["params": params])
        return reply.json["data"]["signup"]
    }

    func login(_ email: String, password: String = Harness.strongPassword, scope: [String]? = nil) async throws -> Reply
    {
        var params: [String: Any] = ["email": email, "password": password]
        if let scope { params["scope"] = scope }
        return try await graphql(
            "mutation ($p: LoginRequest!) { login(params: $p) { message access_token refresh_token expires_in user { id email } } }",
            variables: ["p": params])
    }

    /// The links this server "mailed", from the development outbox.
    func outbox() async throws -> [JSON] {
        var headers: HTTPFields = [:]
        headers[HTTPField.Name("x-authorizer-admin-secret")!] = configuration.adminSecret
        return try await client.execute(uri: "/_dev/outbox", method: .get, headers: headers) {
            JSON(parsing: String(buffer: $0.body))["messages"].array
        }
    }

    /// The `token` query parameter of the newest outbox link of `kind`.
    func mailedToken(kind: String) async throws -> String? {
        guard let link = try await outbox().last(where: { $0["kind"].string == kind })?["link"].string else {
            return nil
        }
        return URLComponents(string: link)?.queryItems?.first { $0.name == "token" }?.value
    }

    func validate(_ token: String, type: String = "access_token") async throws -> Reply {
        try await graphql(
            "query ($p: ValidateJWTTokenRequest!) { validate_jwt_token(params: $p) { is_valid claims } }",
            variables: ["p": ["token": token, "token_type": type]])
    }
}

/// A read-only view into parsed JSON, forgiving for tests: a missing key reads as `.missing`.
struct JSON: @unchecked Sendable, CustomStringConvertible {  // wraps JSONSerialization output, never mutated
    let value: Any?

    init(_ value: Any?) { self.value = value }
    init(parsing text: String) {
        value = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    subscript(key: String) -> JSON { JSON((value as? [String: Any])?[key]) }
    subscript(index: Int) -> JSON {
        guard let array = value as? [Any], array.indices.contains(index) else { return JSON(nil) }
        return JSON(array[index])
    }
    var string: String? { value as? String }
    var int: Int? { value as? Int }
    var bool: Bool? { value as? Bool }
    var array: [JSON] { (value as? [Any] ?? []).map(JSON.init) }
    var isNull: Bool { value == nil || value is NSNull }
    var description: String { value.map { "\($0)" } ?? "missing" }
}
