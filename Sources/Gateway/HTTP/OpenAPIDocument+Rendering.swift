import Foundation

extension OpenAPIDocument {
    static var etag: [String: Any] { ["description": "The workflow's version, quoted.", "schema": ["type": "string"]] }

    /// What every operation of its kind can answer besides its own errors.
    static func commonErrors(_ operation: Operation) -> Set<Int> {
        var errors: Set<Int> = operation.body == nil ? [] : [400, 413, 422]
        if operation.secured { errors.formUnion([401, 403, 503]) }
        return errors
    }

    static let reasons: [Int: String] = [
        400: "The request is invalid; `field` names the culprit when there is one.",
        401: "No valid bearer token (or, for webhooks, no valid signature).",
        403: "Not allowed: role, account status, or no tenant yet.",
        404: "No such resource in the caller's tenant.",
        409: "Conflicts with the current state.",
        412: "`If-Match` names an older version.",
        413: "The body is too large.",
        422: "Well-formed but refused: a value the database's constraints do not accept, or an unknown webhook event.",
        429: "Too many attempts; see `Retry-After`.",
        502: "The identity provider answered something unexpected.",
        503: "A dependency (database or identity provider) is unavailable.",
    ]

    // MARK: Rendering

    /// The document as JSON bytes, keys sorted.
    static func render() -> Data {
        var paths: [String: [String: Any]] = [:]
        for operation in operations {
            paths[operation.path, default: [:]][operation.method.lowercased()] = render(operation)
        }
        let document: [String: Any] = [
            "openapi": "3.1.0",
            "info": [
                "title": "Automation platform gateway",
                "version": "1.0.0",
                "description":
                    "Authentication is delegated to Authorizer; business data is tenant-scoped. Every error is application/problem+json (RFC 9457) with a stable `type` and the request id.",
            ],
            "paths": paths,
            "components": [
                "securitySchemes": ["bearerAuth": ["type": "http", "scheme": "bearer", "bearerFormat": "JWT"]],
                "schemas": schemas,
                "headers": [
                    "X-Request-Id": [
                        "description": "The request id: the caller's when sane, made otherwise.",
                        "schema": ["type": "string"],
                    ]
                ],
            ],
        ]
        return (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data()
    }

    static func render(_ operation: Operation) -> [String: Any] {
        var rendered: [String: Any] = [
            "summary": operation.summary,
            "tags": [operation.tag],
            "operationId": operation.method.lowercased()
                + operation.path.split(separator: "/").map { part in
                    part.trimmingCharacters(in: CharacterSet(charactersIn: "{}")).split(separator: "-").map {
                        $0.capitalized
                    }.joined()
                }.joined().replacingOccurrences(of: ".", with: ""),
            "security": operation.secured ? [["bearerAuth": [String]()]] : [[String: [String]]](),
        ]
        var parameters: [[String: Any]] = operation.query.map {
            ["name": $0.name, "in": "query", "required": false, "description": $0.description, "schema": $0.schema]
        }
        if operation.path.contains("{id}") {
            parameters.append([
                "name": "id", "in": "path", "required": true,
                "description": "A platform id (26 characters, starting with c).",
                "schema": ["type": "string", "pattern": "^c[0-9a-z]{25}$"],
            ])
        }
        if operation.path.contains("{file}") {
            parameters.append([
                "name": "file", "in": "path", "required": true, "description": "A file name, such as main.js.",
                "schema": ["type": "string"],
            ])
        }
        if ["PATCH", "DELETE"].contains(operation.method), operation.path.hasPrefix("/workflows/") {
            parameters.append([
                "name": "If-Match", "in": "header", "required": false,
                "description": "The ETag read; a stale one answers 412.", "schema": ["type": "string"],
            ])
        }
        if !parameters.isEmpty { rendered["parameters"] = parameters }
        switch operation.body {
        case .json(let schema):
            rendered["requestBody"] = [
                "required": operation.path != "/admin/reconcile",
                "content": ["application/json": ["schema": ref(schema)]],
            ]
        case .raw(let schema):
            rendered["requestBody"] = ["required": true, "content": ["application/json": ["schema": ref(schema)]]]
        case nil: break
        }
        var responses: [String: Any] = [:]
        let requestID: [String: Any] = ["X-Request-Id": ["$ref": "#/components/headers/X-Request-Id"]]
        for (status, schema) in operation.success {
            var response: [String: Any] = [
                "description": status == 204 || status == 202 && schema == nil ? "Done." : "Success."
            ]
            response["headers"] = requestID.merging(operation.successHeaders) { $1 }
            switch schema {
            case "metrics"?: response["content"] = ["text/plain": ["schema": ["type": "string"]]]
            case "document"?: response["content"] = ["application/json": ["schema": ["type": "object"]]]
            case "page"?: response["content"] = ["text/html": ["schema": ["type": "string"]]]
            case "asset"?:
                response["content"] = Dictionary(
                    uniqueKeysWithValues: ["text/javascript", "text/css", "image/svg+xml", "text/html"].map {
                        ($0, ["schema": ["type": "string"]])
                    })
            case let name?: response["content"] = ["application/json": ["schema": ref(name)]]
            default: break
            }
            responses[String(status)] = response
        }
        for status in operation.errors.union(commonErrors(operation)).sorted() {
            responses[String(status)] = [
                "description": reasons[status] ?? "Error.",
                "headers": requestID,
                "content": ["application/problem+json": ["schema": ref("Problem")]],
            ]
        }
        rendered["responses"] = responses
        return rendered
    }
}
