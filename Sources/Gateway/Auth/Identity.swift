import AuthorizerClient
import Hummingbird
import Logging
import PlatformDB

/// Who the bearer of a verified token is.
public struct Identity: Sendable {
    /// The raw token, to forward to Authorizer on the user's behalf; never logged.
    public var accessToken: String
    public var token: VerifiedToken
}
