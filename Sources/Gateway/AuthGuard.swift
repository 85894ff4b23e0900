import AuthorizerClient
import Foundation
import Logging
import Metrics
import Synchronization

/// The JWT guard: turns a bearer token into an ``Identity`` in the configured mode, or refuses it.
public struct AuthGuard: Sendable {
    let mode: GuardMode
    let verifier: TokenVerifier
    let client: AuthorizerClient
    let revocations: RevocationList
    let sessions: SessionChecker
    let logger: Logger

    /// Why the guard refused, for logs and metrics; the client sees a generic 401.
    struct Refusal: Error {
        var reason: String
    }

    /// Refusals are counted by reason (`jwt_refused_total`).
    func identity(for accessToken: String) async throws -> Identity {
        do {
            return try await check(accessToken)
        } catch let refusal as Refusal {
            Counter(label: "jwt_refused_total", dimensions: [("reason", refusal.reason)]).increment()
            throw refusal
        }
    }

    private func check(_ accessToken: String) async throws -> Identity {
        let token: VerifiedToken
        switch mode {
        case .remote:
            // The gateway's own claim checks come first, in every mode: Authorizer's
            // validate_jwt_token compares neither token_type nor, in its twin, nbf and iat
            // (service/validate_jwt_token.go), and a token whose claims repeat a name is refused.
            do {
                token = try verifier.check(try TokenVerifier.parts(accessToken).claims)
            } catch {
                throw Refusal(reason: error.rawValue)
            }
            do {
                _ = try await client.validateAccessToken(accessToken)
            } catch let error as AuthorizerClientError {
                switch error {
                case .unauthenticated, .invalidArgument, .notFound: throw Refusal(reason: "rejected_by_authorizer")
                // Rate-limited, unreachable or in error: the user is not signed out (a 429 or 503).
                default: throw Problem.from(error)
                }
            }
            if revocations.isRevoked(token) { throw Refusal(reason: TokenRejection.revoked.rawValue) }
        case .local, .hybrid:
            do {
                token = try await verifier.verify(accessToken)
            } catch {
                if error == .keysUnavailable { throw Problem.from(AuthorizerClientError.unavailable("no JWKS")) }
                throw Refusal(reason: error.rawValue)
            }
            if revocations.isRevoked(token) { throw Refusal(reason: TokenRejection.revoked.rawValue) }
            if mode == .hybrid, let session = token.sessionID {
                guard await sessions.isLive(session: session, accessToken: accessToken, expiresAt: token.expiresAt) else {
                    revocations.revoke(session: session, until: token.expiresAt)
                    throw Refusal(reason: "session_ended")
                }
            }
        }
        return Identity(accessToken: accessToken, token: token)
    }
}

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

/// Hybrid mode's remote check: each session is confirmed at Authorizer at most once per
/// interval (a ``RefreshingCache``: within it the check does not suspend, and a session is
/// confirmed again in the background before its interval ends). While Authorizer is
/// unreachable, sessions stay valid on the local check alone.
public final class SessionChecker: Sendable {
    let client: AuthorizerClient
    let confirmed: RefreshingCache<Bool>

    init(client: AuthorizerClient, interval: Duration) {
        self.client = client
        self.confirmed = RefreshingCache(lifetime: interval, capacity: 50_000)
    }

    /// Only Authorizer's definite "no such session" for a token that has not expired ends a
    /// session. A token past `exp` but inside the gateway's leeway is refused by Authorizer,
    /// which has none (golang-jwt v4): that says nothing about the session. A 429, an outage or an
    /// error of Authorizer's own leaves the session valid on the local check until the next
    /// interval: none of them may sign a user out.
    func isLive(session: String, accessToken: String, expiresAt: Date) async -> Bool {
        let client = self.client
        return (try? await confirmed.value(for: session) {
            do {
                _ = try await client.validateAccessToken(accessToken)
                return true
            } catch AuthorizerClientError.unauthenticated where Date() < expiresAt {
                return false
            } catch {
                return true
            }
        }) ?? true
    }
}
