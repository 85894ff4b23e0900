import Foundation
import Synchronization

/// A floor on how long an answer that could tell accounts apart takes: a failed sign-in for an
/// existing email runs Authorizer's password hash (about 90 ms) while an unknown one does not
/// (about 8 ms). Each such answer is held until the floor: 1.5 times the slowest observed, which
/// fades by 0.1% an answer (so many fast failures on unknown emails cannot pull it down: a
/// thousand take it to 37%), at least `minimum` and at most `maximum` (an Authorizer stalled for
/// seconds must not hold every failure for as long). Durations are observed before the padding, so
/// padding never raises the floor by itself.
final class ResponseFloor: Sendable {
    let minimum: Duration
    let maximum: Duration
    private let slowest = Mutex<Duration>(.zero)

    init(minimum: Duration = .milliseconds(50), maximum: Duration = .seconds(2)) {
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Notes how long this answer took so far, then waits until the floor.
    func pad(since start: ContinuousClock.Instant) async {
        let elapsed = ContinuousClock.now - start
        let floor = slowest.withLock { slowest in
            slowest = max(elapsed, slowest * 0.999)
            return min(maximum, max(minimum, slowest * 1.5))
        }
        if elapsed < floor { try? await Task.sleep(until: start + floor, clock: .continuous) }
    }
}
