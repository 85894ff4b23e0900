import Foundation
import HTTPTypes
import Synchronization

/// Both limiters of the auth routes; a refusal is a 429 problem with `Retry-After`.
struct AuthThrottle: Sendable {
    let byIP: RateLimiter?
    let byEmail: RateLimiter?
    /// Failed sign-ins per email and client address.
    let failedLogins: FailedLoginLimiter?
    /// How long a failed sign-in takes at least.
    let loginFloor = ResponseFloor()
    /// Every answer that asks Authorizer for a mail (forgot-password, a sign-in link).
    let mailFloor = ResponseFloor()

    init(_ limits: AuthRateLimits) {
        byIP = limits.perIP > 0 ? RateLimiter(limit: limits.perIP, window: .seconds(60)) : nil
        byEmail = limits.perEmail > 0 ? RateLimiter(limit: limits.perEmail, window: .seconds(60)) : nil
        failedLogins =
            limits.failedLoginsPerAddress > 0 ? FailedLoginLimiter(limit: limits.failedLoginsPerAddress) : nil
    }

    func check(route: String, ip: String?, email: String?) throws {
        if let ip, let after = byIP?.check("\(route) \(ip)") {
            throw Self.problem(after, "too many attempts from this address")
        }
        if let email, let after = byEmail?.check("\(route) \(email.lowercased())") {
            throw Self.problem(after, "too many attempts for this email")
        }
    }

    static func problem(_ after: Int, _ detail: String) -> Problem {
        var problem = Problem(
            .tooManyRequests, type: "too-many-requests", title: "Too many requests",
            detail: "\(detail); retry in \(after) s")
        problem.headers = [.retryAfter: String(after)]
        return problem
    }
}
