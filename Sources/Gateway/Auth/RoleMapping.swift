import AuthorizerClient
import Foundation
import Logging
import Metrics
import PlatformDB
import SQLKit
import ServiceLifecycle

/// How a new platform user's role follows from Authorizer: a mapping of Authorizer roles, and
/// SUPER_ADMIN only for the operators listed explicitly, by Authorizer id, or by an email that
/// Authorizer reports as verified (otherwise whoever first signed up with an operator's address
/// became SUPER_ADMIN, on a server that verifies no email).
public struct RoleMapping: Sendable {
    /// Authorizer role → platform role (never SUPER_ADMIN).
    public var byAuthorizerRole: [String: Role]
    /// The operators as configured: emails and Authorizer ids.
    public let superAdmins: Set<String>
    /// The same, normalised (``normalised(_:)``), as UTF-8 bytes: compared byte for byte, as
    /// Authorizer and the database compare, never by Swift's Unicode canonical equivalence.
    private let operators: Set<[UInt8]>

    public init(byAuthorizerRole: [String: Role] = [:], superAdmins: Set<String> = []) {
        self.byAuthorizerRole = byAuthorizerRole.filter { $0.value != .superAdmin }
        self.superAdmins = superAdmins
        self.operators = Set(superAdmins.map { Array(Self.normalised($0).utf8) }.filter { !$0.isEmpty })
    }

    /// The one normalisation of an operator's email or id before it is compared: leading and
    /// trailing whitespace removed (as Authorizer's signup does), ASCII letters lowercased, and
    /// nothing else: no Unicode case folding, which maps K (U+212A) to k.
    public static func normalised(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return String(decoding: trimmed.utf8.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// Whether the user is a configured operator: by Authorizer id, or by an email Authorizer has verified.
    public func isOperator(email: String, emailVerified: Bool, authorizerID: String) -> Bool {
        operators.contains(Array(Self.normalised(authorizerID).utf8))
            || (emailVerified && operators.contains(Array(Self.normalised(email).utf8)))
    }

    /// Whether an email is on the operator list (verified or not), to refuse tenant placement early.
    public func listsEmail(_ email: String) -> Bool {
        operators.contains(Array(Self.normalised(email).utf8))
    }

    /// The role a new user gets.
    /// The role a user new to the platform gets from a webhook's user. A webhook never grants
    /// operator rights by email (only by Authorizer id): its body is only as trustworthy as the
    /// webhook scheme (which may be --insecure-webhooks), while the sign-in that follows
    /// verification grants them from Authorizer's own answer.
    @Sendable func roleForWebhookUser(_ user: UserEvent.User) -> Role {
        role(email: user.email ?? "", emailVerified: false, authorizerID: user.id, authorizerRoles: user.roles ?? [])
    }

    public func role(email: String, emailVerified: Bool, authorizerID: String, authorizerRoles: [String]) -> Role {
        if isOperator(email: email, emailVerified: emailVerified, authorizerID: authorizerID) { return .superAdmin }
        let mapped = authorizerRoles.compactMap { byAuthorizerRole[$0] }
        return mapped.contains(.admin) ? .admin : .user
    }

    /// Whether some operator is named by email (not only by Authorizer id).
    public var namesOperatorsByEmail: Bool { superAdmins.contains { $0.contains("@") } }
}
