import Foundation
import Synchronization

/// Sign-in attempts per email and client address, kept below Authorizer's own lockout (2.4:
/// `loginMaxFailedAttempts = 5` in 15 minutes per account, internal/service/login.go), so that one
/// anonymous client cannot lock an owner out. Like Authorizer, it reserves the attempt before the
/// password is checked: an attempt counts from the moment it is let through, so requests sent
/// together cannot all pass. A failure keeps its slot for the window, a success clears the pair,
/// and an attempt Authorizer never judged (unreachable) gives its slot back. The email is trimmed
/// and lowercased (Unicode), so every spelling of one address shares its count: stricter than
/// Authorizer 2.4, which compares addresses exactly. In memory and per gateway instance; several addresses together can
/// still reach Authorizer's lockout (docs/security.md).
final class FailedLoginLimiter: Sendable {
    let limit: Int
    let window: Duration
    private let attempts = Mutex<[String: [ContinuousClock.Instant]]>([:])

    init(limit: Int = 4, window: Duration = .seconds(15 * 60)) {
        self.limit = limit
        self.window = window
    }

    static func key(email: String, address: String?) -> String {
        "\(email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased())|\(address ?? "-")"
    }

    /// Reserves an attempt for the pair: nil when it may go on (its slot is taken), or the
    /// seconds until it may try again.
    func reserve(_ key: String, now: ContinuousClock.Instant = .now) -> (
        slot: ContinuousClock.Instant?, retryAfter: Int?
    ) {
        attempts.withLock { attempts in
            if attempts.count > 100_000 { attempts = attempts.filter { $0.value.contains { now - $0 < window } } }
            let recent = (attempts[key] ?? []).filter { now - $0 < window }
            guard recent.count < limit else {
                attempts[key] = recent
                let left = window - (now - recent[0])
                return (nil, max(1, Int(left.components.seconds) + (left.components.attoseconds > 0 ? 1 : 0)))
            }
            attempts[key] = recent + [now]
            return (now, nil)
        }
    }

    /// The sign-in succeeded: the pair starts afresh, as Authorizer's counter does.
    func succeeded(_ key: String) {
        attempts.withLock { $0[key] = nil }
    }

    /// Authorizer did not judge the attempt (unreachable, an error of its own): the slot is given back.
    func release(_ key: String, slot: ContinuousClock.Instant) {
        attempts.withLock { attempts in
            guard var list = attempts[key], let index = list.firstIndex(of: slot) else { return }
            list.remove(at: index)
            attempts[key] = list.isEmpty ? nil : list
        }
    }
}
