import Crypto
import Foundation
import GraphQL
import HTTPTypes
import Hummingbird
import Logging
import PlatformDB

/// `POST /graphql` with Authorizer's transport rules: the CSRF origin check, HTTP 400 for an
/// undecodable body, 422 for a document that does not parse or validate, 413 past 1 MiB, and
/// resolver errors as HTTP 200 with `errors[]` and `extensions.code`.
struct GraphQLEndpoint: Sendable {
    let configuration: AuthorizerConfiguration
    let schema: GraphQLSchema
    let logger: Logger

    /// This server's own cap on a document's length, so that the recursive parser never meets
    /// a nesting deep enough to exhaust the stack (Authorizer caps only the body).
    static let maxDocumentBytes = 64 * 1024

    private struct Body: Decodable {
        var query: String
        var variables: [String: Map]?
        var operationName: String?
    }

    func handle(_ request: Request) async throws -> Response {
        if let refusal = csrfRefusal(request) { return refusal }
        // gqlgen picks the media type from Accept; documents that fail to parse or validate are
        // 422 as application/json and 400 as application/graphql-response+json (transport/headers.go).
        let mediaType = Self.mediaType(accept: request.headers[.accept])
        let refused: HTTPResponse.Status =
            mediaType == Self.graphQLResponseType ? .badRequest : .unprocessableContent
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: configuration.graphqlMaxBodyBytes)
        } catch {
            // http.MaxBytesReader's error, read by gqlgen's POST transport: HTTP 200.
            return Self.errors(.ok, ["could not read request body: http: request body too large"], mediaType)
        }
        let body: Body
        do {
            body = try JSONDecoder().decode(Body.self, from: Data(buffer: buffer))
        } catch {
            return Self.errors(
                .badRequest, ["json request body could not be decoded: \(Self.describe(error))"], mediaType)
        }
        guard body.query.utf8.count <= Self.maxDocumentBytes else {
            return Self.errors(refused, ["query is too long"], mediaType)
        }
        let document: Document
        do {
            document = try parse(source: Source(body: LegacyInputNames.translate(body.query), name: "GraphQL request"))
        } catch let error as GraphQLError {
            return Self.errors(refused, [error.message], mediaType)
        }
        let problems = validate(schema: schema, ast: document)
        guard problems.isEmpty else { return Self.errors(refused, problems.map(\.message), mediaType) }
        // Limits come after validation and answer HTTP 200 with no code (graphql.go, queryLimits).
        if let violation = configuration.queryLimits.violation(in: document, operationName: body.operationName) {
            return Self.errors(.ok, [violation], mediaType)
        }
        if !configuration.enableGraphQLIntrospection,
            let refusal = Self.introspectionRefusal(document, operationName: body.operationName, mediaType)
        {
            return refusal
        }

        let info = GraphQLRequestInfo(
            bearerToken: bearerToken(request), sessionCookie: request.cookies["cookie_session"]?.value,
            isAdmin: isAdmin(request),
            mfaCookie: request.cookies["mfa_session"]?.value ?? request.cookies["mfa_session_domain"]?.value)
        let result = try await execute(
            schema: schema, documentAST: document, rootValue: (), context: info,
            variableValues: body.variables ?? [:], operationName: body.operationName)
        let errors = result.errors.map(shaped)
        // Errors with no path failed before any resolver ran (bad variables, unknown operation).
        if !errors.isEmpty, result.data == nil, errors.allSatisfy({ $0.path.elements.isEmpty }) {
            return Self.errors(refused, errors.map(\.message), mediaType)
        }
        var response = Self.encode(
            .ok, ResultBody(data: result.data ?? .null, errors: errors.isEmpty ? nil : errors), contentType: mediaType)
        for cookie in info.cookiesToSet { response.headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return response
    }

    static let graphQLResponseType = "application/graphql-response+json"

    /// gqlgen's choice: `application/json` when Accept is absent or names it, else the GraphQL
    /// response type when Accept names it or `*/*`.
    static func mediaType(accept: String?) -> String {
        guard let accept, !accept.isEmpty, !accept.contains("application/json") else { return "application/json" }
        return accept.contains(graphQLResponseType) || accept.contains("*/*") ? graphQLResponseType : "application/json"
    }

    /// With `--enable-graphql-introspection=false`, `__schema` and `__type` resolve to an error
    /// and null (gqlgen's `DisableIntrospection`); HTTP 200.
    static func introspectionRefusal(_ document: Document, operationName: String?, _ mediaType: String) -> Response? {
        guard let operation = QueryLimits.operation(in: document, named: operationName) else { return nil }
        let keys = operation.selectionSet.selections.compactMap { selection -> String? in
            guard let field = selection as? Field, ["__schema", "__type"].contains(field.name.value) else { return nil }
            return field.alias?.value ?? field.name.value
        }
        guard !keys.isEmpty else { return nil }
        let errors = keys.map {
            ShapedError(message: "introspection disabled", path: GraphQL.IndexPath([$0]), extensions: nil)
        }
        var data: [String: Map] = [:]
        for key in keys { data[key] = .null }
        return encode(
            .ok,
            ResultBody(data: .dictionary(.init(uniqueKeysWithValues: data.sorted { $0.key < $1.key })), errors: errors),
            contentType: mediaType)
    }

    // MARK: Request details

    /// Authorizer 2.x refuses a POST whose Origin (or Referer) is not allowed; with `*` allowed,
    /// the origin's host must be the request's own host.
    func csrfRefusal(_ request: Request) -> Response? {
        let origin = request.headers[.origin] ?? request.headers[.referer]
        let allowed: Bool
        if let origin, let url = URL(string: origin), let host = url.host {
            if configuration.allowedOrigins.contains("*") {
                let requestHost =
                    (request.head.authority ?? "")
                    .split(separator: ":").first.map(String.init) ?? ""
                allowed = host.lowercased() == requestHost.lowercased()
            } else {
                let normalized = origin.hasSuffix("/") ? String(origin.dropLast()) : origin
                allowed = configuration.allowedOrigins.contains {
                    $0 == normalized || $0 == "\(url.scheme ?? "")://\(host)"
                }
            }
        } else {
            allowed = false
        }
        guard !allowed else { return nil }
        return Self.json(
            .forbidden,
            ["error": "csrf_validation_failed", "error_description": "the request origin is missing or not allowed"])
    }

    private func bearerToken(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }

    /// The admin secret by header, or the cookie `_admin_login` set.
    func isAdmin(_ request: Request) -> Bool {
        if let given = request.headers[HTTPField.Name("x-authorizer-admin-secret")!] {
            return AdminSecret.matches(given, configuration.adminSecret)
        }
        if let cookie = request.cookies["authorizer-admin"]?.value {
            return AdminSecret.matches(cookie, AdminSecret.cookieValue(configuration.adminSecret))
        }
        return false
    }

    // MARK: Shapes

    struct ShapedError: Encodable {
        var message: String
        var path: GraphQL.IndexPath
        var extensions: [String: String]?

        private enum CodingKeys: String, CodingKey { case message, path, extensions }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(message, forKey: .message)
            if !path.elements.isEmpty { try container.encode(path, forKey: .path) }
            try container.encodeIfPresent(extensions, forKey: .extensions)
        }
    }

    fileprivate struct ResultBody: Encodable {
        var data: Map
        var errors: [ShapedError]?
    }

    /// Authorizer's message and code; anything unexpected is logged and not shown.
    private func shaped(_ error: GraphQLError) -> ShapedError {
        if let failure = error.originalError as? AuthorizerError {
            return ShapedError(
                message: failure.message, path: error.path, extensions: failure.code.map { ["code": $0.rawValue] })
        }
        if let original = error.originalError {
            logger.error("resolver failed", metadata: ["error": "\(original)", "path": "\(error.path)"])
            return ShapedError(message: "internal server error", path: error.path, extensions: ["code": "INTERNAL"])
        }
        return ShapedError(message: error.message, path: error.path, extensions: nil)
    }

    private static func errors(_ status: HTTPResponse.Status, _ messages: [String], _ mediaType: String) -> Response {
        encode(
            status,
            ResultBody(data: .null, errors: messages.map { ShapedError(message: $0, path: [], extensions: nil) }),
            contentType: mediaType)
    }

    static func json(_ status: HTTPResponse.Status, _ object: [String: String]) -> Response {
        encode(status, object)
    }

    static func encode(
        _ status: HTTPResponse.Status, _ value: some Encodable, contentType: String = "application/json"
    ) -> Response {
        // Go's encoder leaves `/` alone.
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let data = (try? encoder.encode(value)) ?? Data(#"{"errors":[{"message":"encoding failed"}]}"#.utf8)
        return Response(
            status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing \(key.stringValue)"
        case DecodingError.typeMismatch(_, let context):
            "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.valueNotFound(_, let context):
            "null at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default: "not JSON"
        }
    }
}
