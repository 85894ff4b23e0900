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
            do {
                token = try VerifiedToken(claims: try await client.validateAccessToken(accessToken))
            } catch let error as AuthorizerClientError {
                if case .unavailable = error { throw Problem.from(error) }
                throw Refusal(reason: "rejected_by_authorizer")
            }
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

    func isRevoked(_ token: VerifiedToken) -> Bool {
        state.withLock { state in
            if let session = token.sessionID, state.sessions[session] != nil { return true }
            if let since = state.users[token.subject] { return (token.issuedAt ?? .distantPast) <= since }
            return false
        }
    }
}

/// Hybrid mode's remote check: each session is confirmed at Authorizer at most once per
/// interval. While Authorizer is unreachable, sessions stay valid on the local check alone.
/// The check of a session confirmed within the interval takes a lock and does not suspend.
/// Requests that find a session due together wait for one call, and each confirmation lasts a
/// random 75–100% of the interval, so sessions first seen together are not all due together.
public final class SessionChecker: Sendable {
    let client: AuthorizerClient
    let interval: Duration

    private struct State {
        var confirmedUntil: [String: ContinuousClock.Instant] = [:]
        var checking: [String: Task<Bool, Never>] = [:]
    }

    private let state = Mutex(State())

    init(client: AuthorizerClient, interval: Duration) {
        self.client = client
        self.interval = interval
    }

    func isLive(session: String, accessToken: String, expiresAt: Date) async -> Bool {
        let now = ContinuousClock.now
        let check: Task<Bool, Never>? = state.withLock { state in
            if let until = state.confirmedUntil[session], now < until { return nil }
            if let checking = state.checking[session] { return checking }
            let task = Task { await self.ask(session: session, accessToken: accessToken) }
            state.checking[session] = task
            return task
        }
        guard let check else { return true }
        return await check.value
    }

    private func ask(session: String, accessToken: String) async -> Bool {
        let live: Bool
        do {
            _ = try await client.validateAccessToken(accessToken)
            live = true
        } catch AuthorizerClientError.unavailable {
            // Authorizer is down: the token's signature and expiry were checked locally, so the
            // session counts as checked until the next interval (an outage must not make every
            // request wait for a failing call).
            live = true
        } catch {
            live = false
        }
        let until = ContinuousClock.now + interval.jittered()
        state.withLock { state in
            state.checking[session] = nil
            state.confirmedUntil[session] = live ? until : nil
            if state.confirmedUntil.count > 50_000 {
                let now = ContinuousClock.now
                state.confirmedUntil = state.confirmedUntil.filter { now < $0.value }
            }
        }
        return live
    }
}
