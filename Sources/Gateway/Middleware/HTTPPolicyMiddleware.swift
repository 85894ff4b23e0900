import HTTPTypes
import Hummingbird

/// Headers every response carries, and CORS for the configured origins only.
///
/// CORS: a request whose `Origin` is in the list gets `Access-Control-Allow-Origin` with that
/// origin (never `*`, since the API takes bearer tokens); a preflight (`OPTIONS` with
/// `Access-Control-Request-Method`) from such an origin is answered 204 here, from any other
/// with a 403 problem. Any other origin
/// gets no CORS headers, so browsers refuse to read the answer. The list is empty by default.
struct HTTPPolicyMiddleware<Context: RequestContext>: RouterMiddleware {
    let allowedOrigins: Set<String>

    static var securityHeaders: HTTPFields {
        [
            .xContentTypeOptions: "nosniff",
            HTTPField.Name("X-Frame-Options")!: "DENY",
            HTTPField.Name("Referrer-Policy")!: "no-referrer",
            .contentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'",
            HTTPField.Name("Cross-Origin-Resource-Policy")!: "same-origin",
            .strictTransportSecurity: "max-age=31536000",
        ]
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let origin = request.headers[.origin].flatMap { allowedOrigins.contains($0) ? $0 : nil }
        var response: Response
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            if origin != nil {
                response = Response(status: .noContent)
                response.headers[.accessControlAllowMethods] = "GET, POST, PATCH, DELETE, OPTIONS"
                response.headers[.accessControlAllowHeaders] = "Authorization, Content-Type, If-Match, X-Request-Id"
                response.headers[.accessControlMaxAge] = "600"
            } else {
                response = try Problem(
                    .forbidden, type: "cors-origin-refused", title: "Origin not allowed",
                    detail: "this origin may not call the API"
                ).response(from: request, context: context)
            }
        } else {
            do {
                response = try await next(request, context)
            } catch let error as HTTPResponseError {
                response = try error.response(from: request, context: context)
            }
        }
        for field in Self.securityHeaders where response.headers[field.name] == nil {
            response.headers.append(field)
        }
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        if let origin {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlExposeHeaders] = "ETag, Location, Retry-After, X-Request-Id"
            response.headers.append(HTTPField(name: .vary, value: "Origin"))
        }
        return response
    }
}
