import Foundation
import HTTPTypes
import Logging
import PlatformDB
import Synchronization

/// Both limiters of the auth routes; a refusal is a 429 problem with `Retry-After`.
///
/// On PostgreSQL the attempts are counted in the database (``RateWindowStore``), so a limit holds
/// across every gateway instance: one statement per limited request, whatever keys it counts.
/// Should the database fail, the instance counts in memory for that request (a limit per
/// instance rather than none). On SQLite, one instance, they are counted in memory.
final class AuthThrottle: Sendable {
    let byIP: RateLimiter?
    let byEmail: RateLimiter?
    /// The shared counts, on PostgreSQL.
    let shared: RateWindowStore?
    /// Failed sign-ins per email and client address.
    let failedLogins: FailedLoginLimiter?
    /// How long a failed sign-in takes at least.
    let loginFloor = ResponseFloor()
    /// Every answer that asks Authorizer for a mail (forgot-password, a sign-in link).
    let mailFloor = ResponseFloor()
    private let lastSweep = Mutex(ContinuousClock.now)
    let logger: Logger

    static let window = Duration.seconds(60)

    init(_ limits: AuthRateLimits, shared: RateWindowStore? = nil, logger: Logger = Logger(label: "auth.throttle")) {
        byIP = limits.perIP > 0 ? RateLimiter(limit: limits.perIP, window: Self.window) : nil
        byEmail = limits.perEmail > 0 ? RateLimiter(limit: limits.perEmail, window: Self.window) : nil
        failedLogins =
            limits.failedLoginsPerAddress > 0 ? FailedLoginLimiter(limit: limits.failedLoginsPerAddress) : nil
        self.shared = shared
        self.logger = logger
    }

    /// Counts one attempt at `route` from `ip` and for `email` (either may be nil), and throws a
    /// 429 problem when either is over its limit.
    func check(route: String, ip: String?, email: String?) async throws {
        var limits: [(key: String, limiter: RateLimiter, detail: String)] = []
        if let ip, let byIP { limits.append(("\(route) address \(ip)", byIP, "too many attempts from this address")) }
        if let email, let byEmail {
            limits.append(("\(route) email \(email.lowercased())", byEmail, "too many attempts for this email"))
        }
        guard !limits.isEmpty else { return }
        if let shared {
            do {
                let counts = try await shared.count(limits.map(\.key), window: Self.window)
                sweepNowAndThen(shared)
                for (limit, count) in zip(limits, counts) where count.attempts > limit.limiter.limit {
                    throw Self.problem(count.secondsLeft, limit.detail)
                }
                return
            } catch let error as PlatformDBError {
                logger.warning(
                    "auth limits counted in this instance only: the database failed",
                    metadata: ["error": "\(error)"])
            }
        }
        for limit in limits {
            if let after = limit.limiter.check(limit.key) { throw Self.problem(after, limit.detail) }
        }
    }

    /// Every five minutes, the windows that ended go, in the background.
    private func sweepNowAndThen(_ shared: RateWindowStore) {
        let now = ContinuousClock.now
        let due = lastSweep.withLock { last in
            guard now - last > .seconds(300) else { return false }
            last = now
            return true
        }
        guard due else { return }
        let logger = self.logger
        Task {
            do {
                try await shared.sweep(startedBefore: Date().addingTimeInterval(-2 * 60))
            } catch {
                logger.warning("could not sweep ended rate windows", metadata: ["error": "\(error)"])
            }
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
