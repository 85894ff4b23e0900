import AuthorizerClient
import PlatformDB
import Prometheus

/// The JWT guard's three modes (docs/authentication.md gives their trade-offs).
public enum GuardMode: String, Sendable, CaseIterable {
    /// `validate_jwt_token` at Authorizer on every request.
    case remote
    /// Verification in-process only.
    case local
    /// In-process, plus a remote session check per session at most every interval.
    case hybrid
}
