import Foundation
import Synchronization

/// Authorizer 2.4's reuse detection for refresh tokens (`http_handlers/token.go`,
/// `internal/token/auth_token.go`; OAuth 2.1 §6.1): every refresh token names its lineage
/// (`family_id`), and each lineage remembers its live session, the one it was rotated from and
/// when. Kept in memory, as 2.4's in-memory session store keeps it.
final class RefreshFamilies: Sendable {
    struct Record: Sendable {
        var live: String
        var previous: String
        var rotatedAt: Int64
    }

    /// 2.4's `refreshReuseGraceWindow`, seconds: a replay of the token just rotated away, this
    /// soon, is a double submit (two tabs, a retry), not a theft.
    static let graceWindow: Int64 = 10
    private let state = Mutex<(families: [String: String], records: [String: Record])>(([:], [:]))

    /// The lineage of the session `nonce`'s refresh token: its own, or a new one.
    func family(ofSession nonce: String) -> String {
        state.withLock { state in
            if let family = state.families[nonce] { return family }
            let family = UUID().uuidString.lowercased()
            state.families[nonce] = family
            return family
        }
    }

    /// A rotation: `family`'s live session is now `new`, rotated from `old` at `time`.
    func rotated(family: String, from old: String, to new: String, at time: Int64) {
        state.withLock { state in
            state.families[old] = nil
            state.families[new] = family
            state.records[family] = Record(live: new, previous: old, rotatedAt: time)
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
}
