import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Authorizer 2.4's rate limit (`internal/http_handlers/rate_limit.go`, `internal/rate_limit/in_memory.go`):
/// one token bucket per client IP, `--rate-limit-rps` per second (30) with `--rate-limit-burst`
/// (20), on every path but `/`, the health checks, discovery, JWKS, `/app/` and `/dashboard/`.
/// Beyond it: HTTP 429, `Retry-After: 1` and `{"error":"rate_limit_exceeded",…}`.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = AuthorizerRequestContext

    let buckets: TokenBuckets

    static let exempt: Set<String> = [
        "/", "/health", "/healthz", "/readyz", "/.well-known/openid-configuration", "/.well-known/jwks.json",
    ]
    static let body =
        #"{"error":"rate_limit_exceeded","error_description":"Too many requests. Please try again later."}"#

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let path = request.uri.path
        guard !Self.exempt.contains(path), !path.hasPrefix("/app/"), !path.hasPrefix("/dashboard/") else {
            return try await next(request, context)
        }
        guard buckets.allow(context.clientIP) else {
            return Response(
                status: .tooManyRequests,
                headers: [.contentType: "application/json; charset=utf-8", .retryAfter: "1"],
                body: .init(byteBuffer: ByteBuffer(string: Self.body)))
        }
        return try await next(request, context)
    }
}
