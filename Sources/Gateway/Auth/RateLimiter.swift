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
