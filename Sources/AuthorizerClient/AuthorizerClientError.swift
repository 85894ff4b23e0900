/// Every way a call to Authorizer can fail, typed (Authorizer 2.4: HTTP 200 with GraphQL errors and their `extensions.code`, `internal/graph/`; 429 and 403 from its middleware).
public enum AuthorizerClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Wrong password, unknown or revoked user, unverified email, invalid or ended session/token.
    case unauthenticated(String)
    /// Authorizer refused the input (password rules, duplicate signup, bad email…).
    case invalidArgument(String)
    /// The account is locked (5 bad passwords) or Authorizer's rate limit hit; retry after this many seconds.
    case tooManyRequests(retryAfter: Int?)
    /// Authorizer's CSRF guard refused the request: the configured Origin is not allowed.
    case csrfRejected
    /// The thing asked for does not exist at Authorizer.
    case notFound(String)
    /// Permission denied or another code Authorizer sent.
    case refused(code: String, message: String)
    /// Authorizer could not be reached, timed out, or answered with a 5xx.
    case unavailable(String)
    /// Authorizer answered something this client cannot read.
    case protocolError(String)

    public var description: String {
        switch self {
        case .unauthenticated(let m), .invalidArgument(let m), .notFound(let m): m
        case .tooManyRequests(let after): "too many requests" + (after.map { ", retry after \($0) s" } ?? "")
        case .csrfRejected: "Authorizer refused the request's Origin (csrf_validation_failed)"
        case .refused(let code, let message): "\(code): \(message)"
        case .unavailable(let why): "Authorizer unavailable: \(why)"
        case .protocolError(let why): "unexpected answer from Authorizer: \(why)"
        }
    }

    /// A short label for metrics.
    public var kind: String {
        switch self {
        case .unauthenticated: "unauthenticated"
        case .invalidArgument: "invalid_argument"
        case .tooManyRequests: "too_many_requests"
        case .csrfRejected: "csrf_rejected"
        case .notFound: "not_found"
        case .refused: "refused"
        case .unavailable: "unavailable"
        case .protocolError: "protocol_error"
        }
    }

    /// Maps one `errors[]` entry, by 2.x code or by 1.x wording (1.x sends no code).
    static func fromGraphQL(message: String, code: String?) -> AuthorizerClientError {
        switch code {
        case "UNAUTHENTICATED": return .unauthenticated(message)
        case "INVALID_ARGUMENT", "ALREADY_EXISTS", "FAILED_PRECONDITION": return .invalidArgument(message)
        case "TOO_MANY_REQUESTS": return .tooManyRequests(retryAfter: nil)
        case "NOT_FOUND": return .notFound(message)
        case let code?: return .refused(code: code, message: message)
        case nil: break
        }
        let lower = message.lowercased()
        // Before 2.4 a missing record is the storage's own error, with no code: gorm's
        // "record not found", MongoDB's "no documents in result" (2.3.0 service/admin_users.go).
        if ["record not found", "no documents in result"].contains(where: lower.contains) { return .notFound(message) }
        if [
            "bad user credentials", "invalid credentials", "unauthorized", "invalid token",
            "user access has been revoked",
            "email not verified", "user not found",
        ].contains(where: lower.contains) {
            return lower.contains("user not found") ? .notFound(message) : .unauthenticated(message)
        }
        if lower.contains("too many") { return .tooManyRequests(retryAfter: nil) }
        return .invalidArgument(message)
    }
}

extension AuthorizerClientError {
    var isRetryable: Bool {
        switch self {
        case .unavailable, .tooManyRequests: true
        default: false
        }
    }

    /// Exponential backoff from 100 ms, or the server's Retry-After, capped at 2 s.
    func retryDelay(attempt: Int) -> Int {
        // Retry-After is Authorizer's word: clamped before it is multiplied, which traps on overflow.
        if case .tooManyRequests(let after?) = self { return min(2, max(0, after)) * 1000 }
        return min(2000, 100 << (attempt - 1))
    }
}
