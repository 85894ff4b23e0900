import Foundation
import SQLKit

/// What a signup asked for: a new company, or an invitation (by its token's hash).
public enum SignupIntent: Sendable, Equatable {
    case createTenant(name: String)
    case acceptInvitation(tokenHash: String)
}
