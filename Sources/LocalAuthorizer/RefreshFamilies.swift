import Foundation
import Synchronization

/// Authorizer 2.4's reuse detection for refresh tokens (`http_handlers/token.go`,
/// `internal/token/auth_token.go`; OAuth 2.1 §6.1): every refresh token names its lineage
/// (`family_id`), and each lineage remembers its live session, the one it was rotated from and
/// when. Kept in memory, as 2.4's in-memory session store keeps it, and forgotten once no refresh
/// token of it can still be live (`lifetime` after its last use).
final class RefreshFamilies: Sendable {
    struct Record: Sendable {
        var live: String
        var previous: String
        var rotatedAt: Int64
    }

    /// 2.4's `refreshReuseGraceWindow`, seconds: a replay of the token just rotated away, this
    /// soon, is a double submit (two tabs, a retry), not a theft.
    static let graceWindow: Int64 = 10
    private struct State {
        var families: [String: (family: String, at: Int64)] = [:]
        var records: [String: Record] = [:]
        var writes = 0
    }
    private let state = Mutex(State())

    /// The lineage of the session `nonce`'s refresh token, minted at `now`: its own, or a new one.
    func family(ofSession nonce: String, now: Int64, lifetime: Int64) -> String {
        state.withLock { state in
            if let known = state.families[nonce] { return known.family }
            let family = UUID().uuidString.lowercased()
            state.families[nonce] = (family, now)
            Self.sweep(&state, now: now, lifetime: lifetime)
            return family
        }
    }

    /// A rotation: `family`'s live session is now `new`, rotated from `old` at `time`.
    func rotated(family: String, from old: String, to new: String, at time: Int64, lifetime: Int64) {
        state.withLock { state in
            state.families[old] = nil
            state.families[new] = (family, time)
            state.records[family] = Record(live: new, previous: old, rotatedAt: time)
            Self.sweep(&state, now: time, lifetime: lifetime)
        }
    }

    /// The live session a replay of the rotated-away session `nonce` of `family` ends, or nil:
    /// none for a lineage never rotated, for the live token itself, or for the immediate
    /// predecessor within the grace window (`handleRefreshTokenReuse`).
    func sessionEndedByReplay(of nonce: String, family: String, now: Int64) -> String? {
        state.withLock { state in
            guard let record = state.records[family], record.live != nonce else { return nil }
            if nonce == record.previous, now - record.rotatedAt <= Self.graceWindow { return nil }
            return record.live
        }
    }

    /// Every 512 writes, forgets what no live refresh token can name any more.
    private static func sweep(_ state: inout State, now: Int64, lifetime: Int64) {
        state.writes += 1
        guard state.writes.isMultiple(of: 512) else { return }
        state.families = state.families.filter { now - $0.value.at <= lifetime }
        state.records = state.records.filter { now - $0.value.rotatedAt <= lifetime }
    }
}
