import AuthorizerClient
import Foundation
import Logging
import Metrics

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
            if await revocations.isRevoked(token) { throw Refusal(reason: TokenRejection.revoked.rawValue) }
            if mode == .hybrid, let session = token.sessionID {
                guard await sessions.isLive(session: session, accessToken: accessToken, expiresAt: token.expiresAt) else {
                    await revocations.revoke(session: session, until: token.expiresAt)
                    throw Refusal(reason: "session_ended")
                }
            }
        }
        return Identity(accessToken: accessToken, token: token)
    }
}

/// Sessions and users the gateway refuses before their tokens expire: logouts through the
/// gateway, sessions found ended at Authorizer, and users whose access was revoked.
public actor RevocationList {
    private var sessions: [String: Date] = [:]
    private var users: [String: Date] = [:]

    public init() {}

    public func revoke(session: String, until expiry: Date) {
        sessions[session] = expiry
        if sessions.count > 10_000 { prune() }
    }

    /// Refuses every token of `authorizerID` issued before `since`.
    public func revoke(user authorizerID: String, since: Date = Date()) {
        users[authorizerID] = since
    }

    public func restore(user authorizerID: String) {
        users[authorizerID] = nil
    }

    func isRevoked(_ token: VerifiedToken) -> Bool {
        if let session = token.sessionID, sessions[session] != nil { return true }
        if let since = users[token.subject] { return (token.issuedAt ?? .distantPast) <= since }
        return false
    }

    private func prune() {
        let now = Date()
        sessions = sessions.filter { $0.value > now }
    }
}

/// Hybrid mode's remote check: each session is confirmed at Authorizer at most once per
/// interval. While Authorizer is unreachable, sessions stay valid on the local check alone.
public actor SessionChecker {
    let client: AuthorizerClient
    let interval: Duration
    private var checked: [String: ContinuousClock.Instant] = [:]

    init(client: AuthorizerClient, interval: Duration) {
        self.client = client
        self.interval = interval
    }

    func isLive(session: String, accessToken: String, expiresAt: Date) async -> Bool {
        if let last = checked[session], ContinuousClock.now - last < interval { return true }
        do {
            _ = try await client.validateAccessToken(accessToken)
            checked[session] = .now
            if checked.count > 50_000 { checked = checked.filter { ContinuousClock.now - $0.value < interval } }
            return true
        } catch AuthorizerClientError.unavailable {
            // Authorizer is down: the token's signature and expiry were checked locally, so the
            // session counts as checked until the next interval (an outage must not make every
            // request wait for a failing call).
            checked[session] = .now
            return true
        } catch {
            checked[session] = nil
            return false
        }
    }
}
