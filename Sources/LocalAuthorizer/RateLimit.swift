import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// The request context of this server's routes: the peer's address, for the rate limit.
public struct AuthorizerRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client IP: the peer address, as gin's `ClientIP()` gives it with no trusted proxy.
    public var clientIP: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientIP = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}

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

/// Token buckets by key, as `golang.org/x/time/rate`'s `Limiter.Allow`: a bucket holds at most
/// `burst` tokens, refills `rate` per second, and a request takes one. Buckets idle for ten
/// minutes are dropped every five.
final class TokenBuckets: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private struct State {
        var buckets: [String: Bucket] = [:]
        var swept: ContinuousClock.Instant
    }

    let rate: Double
    let burst: Int
    private let state: Mutex<State>

    init(rate: Double, burst: Int) {
        self.rate = rate
        self.burst = burst
        state = Mutex(State(swept: .now))
    }

    /// Takes a token from `key`'s bucket; false when it is empty.
    func allow(_ key: String, now: ContinuousClock.Instant = .now) -> Bool {
        state.withLock { state in
            if now - state.swept > .seconds(300) {
                state.buckets = state.buckets.filter { now - $0.value.updated < .seconds(600) }
                state.swept = now
            }
            var bucket = state.buckets[key] ?? Bucket(tokens: Double(burst), updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(Double(burst), bucket.tokens + max(0, seconds) * rate)
            bucket.updated = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            state.buckets[key] = bucket
            return allowed
        }
    }
}
