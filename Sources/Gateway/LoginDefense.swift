import Foundation
import Synchronization

/// Failed sign-ins per email and client address, kept below Authorizer's own lockout (2.4:
/// `loginMaxFailedAttempts = 5` in 15 minutes per account, internal/service/login.go), so that one
/// anonymous client cannot lock an owner out: after `limit` failures for an email from one address
/// within the window, that pair is refused here before Authorizer is asked. A success clears the
/// pair. In memory and per gateway instance; several addresses together can still reach
/// Authorizer's lockout (README, "Security").
final class FailedLoginLimiter: Sendable {
    let limit: Int
    let window: Duration
    private let failures = Mutex<[String: [ContinuousClock.Instant]]>([:])

    init(limit: Int = 4, window: Duration = .seconds(15 * 60)) {
        self.limit = limit
        self.window = window
    }

    static func key(email: String, address: String?) -> String {
        "\(RoleMapping.normalised(email))|\(address ?? "-")"
    }

    /// Seconds until the pair may try again, or nil while it is under its limit.
    func refusal(_ key: String, now: ContinuousClock.Instant = .now) -> Int? {
        failures.withLock { failures in
            let recent = (failures[key] ?? []).filter { now - $0 < window }
            failures[key] = recent.isEmpty ? nil : recent
            guard recent.count >= limit, let oldest = recent.first else { return nil }
            let left = window - (now - oldest)
            return max(1, Int(left.components.seconds) + (left.components.attoseconds > 0 ? 1 : 0))
        }
    }

    func recordFailure(_ key: String, now: ContinuousClock.Instant = .now) {
        failures.withLock { failures in
            if failures.count > 100_000 { failures = failures.filter { $0.value.contains { now - $0 < window } } }
            failures[key, default: []].append(now)
        }
    }

    func recordSuccess(_ key: String) {
        failures.withLock { $0[key] = nil }
    }
}

/// A floor on how long an answer that could tell accounts apart takes: a failed sign-in for an
/// existing email runs Authorizer's password hash (about 90 ms) while an unknown one does not
/// (about 8 ms). Each such answer is held until the floor: 1.5 times the slowest of the last 32
/// observed (the slow path sets it), at least `minimum` and at most `maximum` (an Authorizer
/// stalled for seconds must not hold every failure for as long). Durations are observed before the
/// padding, so padding never raises the floor by itself.
final class ResponseFloor: Sendable {
    let minimum: Duration
    let maximum: Duration
    private let recent = Mutex<[Duration]>([])

    init(minimum: Duration = .milliseconds(50), maximum: Duration = .seconds(2)) {
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Notes how long this answer took so far, then waits until the floor.
    func pad(since start: ContinuousClock.Instant) async {
        let elapsed = ContinuousClock.now - start
        let floor = recent.withLock { samples in
            samples.append(elapsed)
            if samples.count > 32 { samples.removeFirst(samples.count - 32) }
            return min(maximum, max(minimum, (samples.max() ?? .zero) * 1.5))
        }
        if elapsed < floor { try? await Task.sleep(until: start + floor, clock: .continuous) }
    }
}
