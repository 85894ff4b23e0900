import Foundation
import HTTPTypes
import Synchronization

/// Fixed-window counters per key (an IP, an email), in memory and per gateway instance.
///
/// `check` counts one attempt and answers nil while the key is under its limit, or the seconds
/// until its window ends. Expired windows are dropped as the table grows, so it stays bounded by
/// the keys seen in one window.
final class RateLimiter: Sendable {
    struct Window { var started: ContinuousClock.Instant; var count: Int }

    let limit: Int
    let window: Duration
    private let windows = Mutex<[String: Window]>([:])

    init(limit: Int, window: Duration) {
        self.limit = limit
        self.window = window
    }

    func check(_ key: String, now: ContinuousClock.Instant = .now) -> Int? {
        windows.withLock { windows in
            if windows.count > 10_000 { windows = windows.filter { now - $0.value.started < window } }
            var entry = windows[key].flatMap { now - $0.started < window ? $0 : nil } ?? Window(started: now, count: 0)
            entry.count += 1
            windows[key] = entry
            guard entry.count > limit else { return nil }
            let left = window - (now - entry.started)
            return max(1, Int(left.components.seconds) + (left.components.attoseconds > 0 ? 1 : 0))
        }
    }
}

/// The limits on `/auth/login`, `/auth/signup` and `/auth/forgot-password`: per peer IP and per
/// email, each a number of attempts per minute. 0 turns a limit off.
public struct AuthRateLimits: Sendable {
    public var perIP: Int
    public var perEmail: Int
    /// Failed sign-ins per email from one client address in 15 minutes, below Authorizer's lockout
    /// of 5 (see ``FailedLoginLimiter``); 0 turns it off.
    public var failedLoginsPerAddress: Int

    public init(perIP: Int = 30, perEmail: Int = 10, failedLoginsPerAddress: Int = 4) {
        self.perIP = perIP
        self.perEmail = perEmail
        self.failedLoginsPerAddress = failedLoginsPerAddress
    }
}

/// Both limiters of the auth routes; a refusal is a 429 problem with `Retry-After`.
struct AuthThrottle: Sendable {
    let byIP: RateLimiter?
    let byEmail: RateLimiter?
    /// Failed sign-ins per email and client address.
    let failedLogins: FailedLoginLimiter?
    /// How long a failed sign-in, and any forgot-password answer, takes at least.
    let loginFloor = ResponseFloor()
    let forgotPasswordFloor = ResponseFloor()

    init(_ limits: AuthRateLimits) {
        byIP = limits.perIP > 0 ? RateLimiter(limit: limits.perIP, window: .seconds(60)) : nil
        byEmail = limits.perEmail > 0 ? RateLimiter(limit: limits.perEmail, window: .seconds(60)) : nil
        failedLogins = limits.failedLoginsPerAddress > 0 ? FailedLoginLimiter(limit: limits.failedLoginsPerAddress) : nil
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
        var problem = Problem(.tooManyRequests, type: "too-many-requests", title: "Too many requests", detail: "\(detail); retry in \(after) s")
        problem.headers = [.retryAfter: String(after)]
        return problem
    }
}
