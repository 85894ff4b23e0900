import Foundation

/// A user as Authorizer's GraphQL API returns it (the fields the platform reads).
public struct AuthorizerUserInfo: Codable, Sendable, Equatable {
    public var id: String
    public var email: String?
    public var emailVerified: Bool
    public var givenName: String?
    public var familyName: String?
    public var roles: [String]
    /// Unix seconds.
    public var createdAt: Int64?
    public var updatedAt: Int64?
    public var revokedTimestamp: Int64?

    enum CodingKeys: String, CodingKey {
        case id, email, roles
        case emailVerified = "email_verified"
        case givenName = "given_name"
        case familyName = "family_name"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case revokedTimestamp = "revoked_timestamp"
    }

    public init(
        id: String, email: String?, emailVerified: Bool, givenName: String? = nil, familyName: String? = nil,
        roles: [String] = [], createdAt: Int64? = nil, updatedAt: Int64? = nil, revokedTimestamp: Int64? = nil
    ) {
        self.id = id
        self.email = email
        self.emailVerified = emailVerified
        self.givenName = givenName
        self.familyName = familyName
        self.roles = roles
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.revokedTimestamp = revokedTimestamp
    }
}
