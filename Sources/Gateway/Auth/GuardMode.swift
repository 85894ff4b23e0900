import AuthorizerClient
import PlatformDB
import Prometheus

/// The JWT guard's three modes (see the README for their trade-offs).
public enum GuardMode: String, Sendable, CaseIterable {
    /// `validate_jwt_token` at Authorizer on every request (the seed's design).
    case remote
    /// Verification in-process only.
    case local
    /// In-process, plus a remote session check per session at most every interval.
    case hybrid
}
