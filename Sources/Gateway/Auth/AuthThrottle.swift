import Foundation
import HTTPTypes
import Logging
import PlatformDB
import Synchronization

/// Both limiters of the auth routes; a refusal is a 429 problem with `Retry-After`.
///
/// On PostgreSQL the attempts are counted in the database (``RateWindowStore``), so a limit holds
/// across every gateway instance: one statement per limited request, whatever keys it counts.
/// A key found over its limit is then refused in memory until its window ends (windows are fixed,
/// so this is exact), and a flood of refused attempts costs the database nothing. Should the
/// database fail, the instance counts in memory for that request (a limit per instance rather
/// than none). On SQLite, one instance, they are counted in memory.
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
    /// Keys over their limit, until their window ends, with what to say.
    private let refused = Mutex<[String: (until: ContinuousClock.Instant, detail: String)]>([:])
    /// When the last "counted in this instance only" warning was logged: one a minute at most.
    private let lastFallbackWarning = Mutex<ContinuousClock.Instant?>(nil)
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
            let now = ContinuousClock.now
            let known = refused.withLock { table in
                limits.compactMap { table[$0.key] }.first { $0.until > now }
            }
            if let known { throw Self.problem(Self.seconds(known.until - now), known.detail) }
            do {
                let counts = try await shared.count(limits.map(\.key), window: Self.window)
                sweepNowAndThen(shared)
                let over = zip(limits, counts).filter { $0.1.attempts > $0.0.limiter.limit }
                guard let first = over.first else { return }
                refused.withLock { table in
                    if table.count > 10_000 { table = table.filter { $0.value.until > now } }
                    for (limit, count) in over { table[limit.key] = (now + count.remaining, limit.detail) }
                }
                throw Self.problem(first.1.secondsLeft, first.0.detail)
            } catch let error as PlatformDBError {
                let due = lastFallbackWarning.withLock { last in
                    guard last.map({ now - $0 > .seconds(60) }) ?? true else { return false }
                    last = now
                    return true
                }
                if due {
                    logger.warning(
                        "auth limits counted in this instance only while the database fails (logged once a minute)",
                        metadata: ["error": "\(error)"])
                }
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
                try await shared.sweep(olderThan: Self.window * 2)
            } catch {
                logger.warning("could not sweep ended rate windows", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Whole seconds in `duration`, rounded up, at least 1.
    static func seconds(_ duration: Duration) -> Int {
        max(1, Int(duration.components.seconds) + (duration.components.attoseconds > 0 ? 1 : 0))
    }

    static func problem(_ after: Int, _ detail: String) -> Problem {
        var problem = Problem(
            .tooManyRequests, type: "too-many-requests", title: "Too many requests",
            detail: "\(detail); retry in \(after) s")
        problem.headers = [.retryAfter: String(after)]
        return problem
    }
}
