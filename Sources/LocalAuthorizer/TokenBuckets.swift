import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

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
