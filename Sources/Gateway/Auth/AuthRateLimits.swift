import Foundation
import HTTPTypes
import Synchronization

/// The limits on `/auth/login`, `/auth/signup` and `/auth/forgot-password`: per peer IP and per
/// email, each a number of attempts per minute. 0 turns a limit off.
public struct AuthRateLimits: Sendable {
    public var perIP: Int
    public var perEmail: Int
    /// Failed sign-ins per email from one client address in 15 minutes, below Authorizer's lockout
    /// of 5 (see ``FailedLoginLimiter``); 0 turns it off.
    public var failedLoginsPerAddress: Int

    public init(perIP: Int = 30, perEmail: Int = 10, failedLoginsPerAddress: Int = 4) {
        self.perIP = perIP
        self.perEmail = perEmail
        self.failedLoginsPerAddress = failedLoginsPerAddress
    }
}
