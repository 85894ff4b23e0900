import AuthorizerClient
import Foundation
import Logging
import Metrics
import Synchronization

/// Sessions and users the gateway refuses before their tokens expire: logouts through the
/// gateway, sessions found ended at Authorizer, and users whose access was revoked.
///
/// A lock rather than an actor: every request asks it, and a lookup is far shorter than a hop to
/// an actor's executor.
public final class RevocationList: Sendable {
    private struct State {
        var sessions: [String: Date] = [:]
        var users: [String: Date] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    public func revoke(session: String, until expiry: Date) {
        state.withLock { state in
            state.sessions[session] = expiry
            if state.sessions.count > 10_000 {
                let now = Date()
                state.sessions = state.sessions.filter { $0.value > now }
            }
        }
    }

    /// Refuses every token of `authorizerID` issued before `since`.
    public func revoke(user authorizerID: String, since: Date = Date()) {
        state.withLock { $0.users[authorizerID] = since }
    }

    public func restore(user authorizerID: String) {
        state.withLock { $0.users[authorizerID] = nil }
    }

    /// Whether `session` was ended and its tokens may still be unexpired; an entry past its
    /// expiry is dropped, so the list holds only sessions whose tokens could still be presented.
    public func isRevoked(session: String, now: Date = Date()) -> Bool {
        state.withLock { state in
            guard let until = state.sessions[session] else { return false }
            if until > now { return true }
            state.sessions[session] = nil
            return false
        }
    }

    /// Whether `token` is refused: its session was ended (``isRevoked(session:now:)``), or its
    /// user's access was revoked after it was issued.
    func isRevoked(_ token: VerifiedToken, now: Date = Date()) -> Bool {
        if let session = token.sessionID, isRevoked(session: session, now: now) { return true }
        return state.withLock { state in
            if let since = state.users[token.subject] { return (token.issuedAt ?? .distantPast) <= since }
            return false
        }
    }
}
