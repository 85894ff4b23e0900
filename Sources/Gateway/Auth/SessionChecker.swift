import AuthorizerClient
import Foundation
import Logging
import Metrics
import Synchronization

/// Hybrid mode's remote check: each session is confirmed at Authorizer at most once per
/// interval (an ``ExpiringCache``: within it the check does not suspend, and a session is
/// confirmed again in the background before its interval ends). While Authorizer is
/// unreachable, sessions stay valid on the local check alone.
public final class SessionChecker: Sendable {
    let client: AuthorizerClient
    let confirmed: ExpiringCache<Bool>

    init(client: AuthorizerClient, interval: Duration) {
        self.client = client
        self.confirmed = ExpiringCache(.init(lifetime: interval, capacity: 50_000))
    }

    /// Only Authorizer's definite "no such session" for a token that has not expired ends a
    /// session. A token past `exp` but inside the gateway's leeway is refused by Authorizer,
    /// which has none (golang-jwt v4): that says nothing about the session. A 429, an outage or an
    /// error of Authorizer's own leaves the session valid on the local check until the next
    /// interval: none of them may sign a user out.
    func isLive(session: String, accessToken: String, expiresAt: Date) async -> Bool {
        let client = self.client
        return
            (try? await confirmed.value(for: session) {
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
