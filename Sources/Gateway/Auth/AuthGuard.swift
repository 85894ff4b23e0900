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
                guard await sessions.isLive(session: session, accessToken: accessToken, expiresAt: token.expiresAt)
                else {
                    revocations.revoke(session: session, until: token.expiresAt)
                    throw Refusal(reason: "session_ended")
                }
            }
        }
        return Identity(accessToken: accessToken, token: token)
    }
}
