import AsyncHTTPClient
import Foundation
import Logging
import Metrics
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// A typed client of Authorizer's GraphQL API (1.x and 2.x), over async-http-client.
///
/// It sends what the official SDKs send, plus an `Origin` of Authorizer's own host for 2.x's CSRF
/// guard. Idempotent calls are retried a bounded number of times on 429, 5xx and network
/// failures; signup and login never are.
public struct AuthorizerClient: Sendable {
    /// Where Authorizer is, and who this client is to it.
    public struct Configuration: Sendable {
        public var url: String
        public var clientID: String
        /// Sent only on admin calls; never logged.
        public var adminSecret: String?
        /// Sent as `Origin`; defaults to Authorizer's own scheme and host.
        public var origin: String?
        /// Timeout of each attempt.
        public var timeout: TimeAmount = .seconds(5)
        /// Attempts for idempotent calls, the first included.
        public var attempts = 3

        public init(url: String, clientID: String, adminSecret: String? = nil) {
            var url = url
            while url.hasSuffix("/") { url.removeLast() }
            self.url = url
            self.clientID = clientID
            self.adminSecret = adminSecret
        }
    }

    public let configuration: Configuration
    public let version: AuthorizerVersion
    let http: HTTPClient
    let logger: Logger

    /// The HTTP client for calls to Authorizer. A refused connection fails its attempt at once
    /// (connect timeout 1 s), so that this client's own attempts and backoff decide what comes
    /// next; AHC's default retries the connect until the request's deadline, which made a login
    /// against a stopped Authorizer wait the whole 3 s.
    public static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(1)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    public init(
        configuration: Configuration, version: AuthorizerVersion, http: HTTPClient = AuthorizerClient.http,
        logger: Logger = Logger(label: "authorizer.client")
    ) {
        self.configuration = configuration
        self.version = version
        self.http = http
        self.logger = logger
    }

    /// Asks the server its version with `meta { version }` and returns a client that speaks it.
    public static func connect(
        configuration: Configuration, http: HTTPClient = AuthorizerClient.http,
        logger: Logger = Logger(label: "authorizer.client")
    ) async throws -> AuthorizerClient {
        // `meta` takes no input, so the document is the same for both versions.
        let probe = AuthorizerClient(configuration: configuration, version: .v2, http: http, logger: logger)
        let meta = try await probe.meta()
        if let version = AuthorizerVersion(metaVersion: meta.version) {
            return AuthorizerClient(configuration: configuration, version: version, http: http, logger: logger)
        }
        // Builds report `latest`, `0.1.0-local` or `0.0.1`: the schema says which inputs it takes.
        guard let version = try await probe.versionFromSchema() else {
            throw AuthorizerClientError.protocolError(
                "Authorizer reports version \(meta.version) and its schema does not tell; set --authorizer-version")
        }
        logger.info(
            "Authorizer version read from its schema", metadata: ["meta": "\(meta.version)", "version": "\(version)"])
        return AuthorizerClient(configuration: configuration, version: version, http: http, logger: logger)
    }

    // MARK: Operations

    public func meta() async throws -> AuthorizerMeta {
        try await call(AuthorizerDocuments.meta, field: "meta", idempotent: true)
    }

    /// One `meta` call without retries, bounded by `timeout`: whether Authorizer answers now (readiness).
    public func isReachable(timeout: TimeAmount = .seconds(1)) async -> Bool {
        do {
            let body = try JSONEncoder().encode(
                GraphQLRequest(query: version.document(AuthorizerDocuments.meta), variables: [:]))
            let (status, data, _, _) = try await send(
                path: "/graphql", body: body, contentType: "application/json", admin: false, timeout: timeout)
            guard status == 200 else { return false }
            let _: AuthorizerMeta = try Self.decode(data, field: "meta")
            return true
        } catch {
            return false
        }
    }

    // MARK: Transport

    struct GraphQLReply<Data: Decodable>: Decodable {
        var data: [String: Data?]?
        var errors: [GraphQLErrorEntry]?
    }

    struct GraphQLErrorEntry: Decodable {
        var message: String
        var extensions: Extensions?
        struct Extensions: Decodable { var code: String? }
    }

    /// Every operation is timed and its failures counted by kind (`authorizer_call_duration_seconds`,
    /// `authorizer_call_errors_total`), labelled with the GraphQL field.
    func call<Result: Decodable>(
        _ document: String,
        field: String,
        variables: [String: JSONValue] = [:],
        bearer: String? = nil,
        admin: Bool = false,
        idempotent: Bool
    ) async throws -> Result {
        try await Self.measured(field) {
            try await attempt(
                document, field: field, variables: variables, bearer: bearer, admin: admin, cookie: nil,
                idempotent: idempotent
            ).result
        }
    }

    /// ``call(_:field:variables:bearer:admin:idempotent:)`` with a `Cookie` header sent, answering
    /// the result and the `Set-Cookie` values of the answer (Authorizer's MFA session cookie).
    func callWithCookies<Result: Decodable>(
        _ document: String, field: String, variables: [String: JSONValue], cookie: String?
    ) async throws -> (result: Result, setCookies: [String]) {
        try await Self.measured(field) {
            try await attempt(
                document, field: field, variables: variables, bearer: nil, admin: false, cookie: cookie,
                idempotent: false)
        }
    }

    static func measured<T>(_ operation: String, _ body: () async throws -> T) async throws -> T {
        let started = ContinuousClock.now
        defer {
            let elapsed = ContinuousClock.now - started
            Timer(
                label: "authorizer_call_duration_seconds", dimensions: [("operation", operation)],
                preferredDisplayUnit: .seconds
            )
            .recordNanoseconds(
                elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        }
        do {
            return try await body()
        } catch let error as AuthorizerClientError {
            Counter(
                label: "authorizer_call_errors_total", dimensions: [("operation", operation), ("kind", error.kind)]
            ).increment()
            throw error
        }
    }

    private func attempt<Result: Decodable>(
        _ document: String, field: String, variables: [String: JSONValue], bearer: String?, admin: Bool,
        cookie: String?, idempotent: Bool
    ) async throws -> (result: Result, setCookies: [String]) {
        let body = try JSONEncoder().encode(
            GraphQLRequest(query: version.document(document), variables: variables))
        let attempts = idempotent ? max(1, configuration.attempts) : 1
        var lastError: AuthorizerClientError = .unavailable("no attempt made")
        for attempt in 1...attempts {
            do {
                let (status, data, retryAfter, setCookies) = try await send(
                    path: "/graphql", body: body, contentType: "application/json", bearer: bearer, admin: admin,
                    cookie: cookie)
                switch status {
                case 200: return (try Self.decode(data, field: field), setCookies)
                case 403 where String(decoding: data, as: UTF8.self).contains("csrf"):
                    throw AuthorizerClientError.csrfRejected
                // Authorizer's rate limit always says Retry-After: 1 (http_handlers/rate_limit.go).
                case 429: throw AuthorizerClientError.tooManyRequests(retryAfter: retryAfter ?? 1)
                case 500...: throw AuthorizerClientError.unavailable("HTTP \(status)")
                default:
                    throw AuthorizerClientError.protocolError(
                        "HTTP \(status): \(String(decoding: data.prefix(300), as: UTF8.self))")
                }
            } catch let error as AuthorizerClientError {
                lastError = error
                guard attempt < attempts, error.isRetryable else { throw error }
                let delay = error.retryDelay(attempt: attempt)
                logger.debug("retrying Authorizer call", metadata: ["field": "\(field)", "delay_ms": "\(delay)"])
                try await Task.sleep(for: .milliseconds(delay))
            }
        }
        throw lastError
    }

    private static func decode<Result: Decodable>(_ data: Data, field: String) throws -> Result {
        let reply: GraphQLReply<Result>
        do {
            reply = try JSONDecoder().decode(GraphQLReply<Result>.self, from: data)
        } catch {
            throw AuthorizerClientError.protocolError("cannot decode \(field): \(error)")
        }
        if let first = reply.errors?.first {
            throw AuthorizerClientError.fromGraphQL(message: first.message, code: first.extensions?.code)
        }
        guard let value = reply.data?[field] ?? nil else {
            throw AuthorizerClientError.protocolError("no \(field) in the answer")
        }
        return value
    }

    func send(
        path: String, body: Data, contentType: String, bearer: String? = nil, admin: Bool, cookie: String? = nil,
        timeout: TimeAmount? = nil
    ) async throws -> (status: Int, body: Data, retryAfter: Int?, setCookies: [String]) {
        var request = HTTPClientRequest(url: configuration.url + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: contentType)
        request.headers.add(name: "Origin", value: configuration.origin ?? Self.origin(of: configuration.url))
        request.headers.add(name: "x-authorizer-url", value: configuration.url)
        request.headers.add(name: "x-authorizer-client-id", value: configuration.clientID)
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        if let cookie { request.headers.add(name: "Cookie", value: cookie) }
        if admin, let secret = configuration.adminSecret {
            request.headers.add(name: "x-authorizer-admin-secret", value: secret)
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await http.execute(request, timeout: timeout ?? configuration.timeout)
            let data = Data(buffer: try await response.body.collect(upTo: 4 << 20))
            return (
                Int(response.status.code), data, response.headers.first(name: "Retry-After").flatMap(Int.init),
                response.headers["Set-Cookie"]
            )
        } catch let error as AuthorizerClientError {
            throw error
        } catch {
            throw AuthorizerClientError.unavailable(String(describing: type(of: error)))
        }
    }

    /// The scheme, host and port of `url`, its path dropped: also the issuer Authorizer 2.4 puts in
    /// tokens for its `--url` (`internal/parsers/url.go`).
    public static func origin(of url: String) -> String {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host
        else {
            return url
        }
        let shown = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme.lowercased())://\(shown)" + (components.port.map { ":\($0)" } ?? "")
    }

    static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

extension AuthorizerClient.Configuration: CustomStringConvertible {
    /// Secrets redacted: this may end up in a log.
    public var description: String {
        "AuthorizerClient.Configuration(url: \(url), clientID: \(clientID), adminSecret: \(adminSecret == nil ? "none" : "<redacted>"))"
    }
}

extension AuthorizerClient: CustomStringConvertible {
    public var description: String { "AuthorizerClient(\(configuration.url), \(version))" }
}
