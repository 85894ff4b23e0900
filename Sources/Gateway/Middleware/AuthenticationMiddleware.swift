import AuthorizerClient
import Hummingbird
import Logging
import Metrics
import PlatformDB

/// The JWT guard and the user context: verifies the bearer token, loads
/// the platform user, and refuses suspended, deleted and (unless allowed) unverified users.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    /// nil when no Authorizer is configured: then no route behind this middleware is added.
    let auth: AuthServices?
    let allowPendingVerification: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let auth else { throw Problem.unauthenticated("no identity provider is configured") }
        let token = try Self.bearerToken(request.headers[values: .authorization])
        let identity: Identity
        do {
            identity = try await auth.authGuard.identity(for: token)
        } catch let refusal as AuthGuard.Refusal {
            context.logger.info("token refused", metadata: ["reason": "\(refusal.reason)"])
            throw Problem.unauthenticated("the token is invalid, expired or revoked")
        }
        let loaded: UserContextLoader.UserContext
        do {
            loaded = try await auth.loader.context(for: identity)
        } catch let error as PlatformDBError {
            throw Problem.from(error)
        } catch let error as AuthorizerClientError {
            throw Problem.from(error)
        }
        let user = loaded.user
        if let problem = loaded.barred { throw problem }
        if user.status == .pendingVerification, !allowPendingVerification {
            throw Problem.forbidden("email-not-verified", "verify your email address first")
        }
        var context = context
        context.identity = identity
        context.user = user
        context.tenant = loaded.tenant
        return try await next(request, context)
    }

    /// Exactly one `Authorization: Bearer <token>`; the scheme matched case-insensitively (RFC 6750).
    static func bearerToken(_ headers: [String]) throws -> String {
        guard headers.count == 1, var header = headers.first else {
            throw refused(
                headers.isEmpty ? "missing" : "malformed",
                headers.isEmpty ? "missing bearer token" : "more than one Authorization header")
        }
        // One pass over contiguous bytes: this runs on every request, and `split` over the UTF-8
        // view cost 71,000 instructions of a 1 KB token (`scripts/bench --instructions`).
        header.makeContiguousUTF8()
        let token = header.utf8.withContiguousStorageIfAvailable { bytes -> Result<String, Problem> in
            // The words between spaces: exactly two, the scheme and the token.
            var start = 0
            var words: [Range<Int>] = []
            while start < bytes.count, words.count <= 2 {
                while start < bytes.count, bytes[start] == UInt8(ascii: " ") { start += 1 }
                guard start < bytes.count else { break }
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: " ") { end += 1 }
                words.append(start..<end)
                start = end
            }
            guard words.count == 2, words[0].count == 6,
                zip(bytes[words[0]], "bearer".utf8).allSatisfy({ $0 | 0x20 == $1 })
            else {
                return .failure(refused("malformed", "expected 'Authorization: Bearer <token>'"))
            }
            let token = UnsafeBufferPointer(rebasing: bytes[words[1]])
            guard token.count <= 16 * 1024, !token.contains(UInt8(ascii: ",")) else {
                return .failure(refused("malformed", "malformed bearer token"))
            }
            return .success(String(decoding: token, as: UTF8.self))
        }
        // makeContiguousUTF8 made the storage contiguous, so the closure ran.
        guard let token else { throw refused("malformed", "malformed bearer token") }
        return try token.get()
    }

    private static func refused(_ reason: String, _ detail: String) -> Problem {
        Counter(label: "jwt_refused_total", dimensions: [("reason", reason)]).increment()
        return Problem.unauthenticated(detail)
    }
}
