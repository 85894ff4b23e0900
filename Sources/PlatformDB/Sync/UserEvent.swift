import Foundation

/// One of Authorizer's user events, decoded once from a webhook body. Authorizer sends the whole
/// user with every event, no delivery id and no timestamp (`internal/events/events.go`, 2.4.0).
public struct UserEvent: Sendable, Equatable {
    /// The events the platform applies, by Authorizer's names.
    public enum Kind: String, Sendable, CaseIterable {
        case signup = "user.signup"
        case created = "user.created"
        case login = "user.login"
        /// Sent by 1.x and by the gateway's own tests; 2.4 has no such event.
        case updated = "user.updated"
        case deleted = "user.deleted"
        case deactivated = "user.deactivated"
        case accessRevoked = "user.access_revoked"
        case accessEnabled = "user.access_enabled"

        /// Whether it changes the user's status rather than the profile.
        public var changesStatus: Bool {
            switch self {
            case .deleted, .deactivated, .accessRevoked, .accessEnabled: true
            case .signup, .created, .login, .updated: false
            }
        }
    }

    /// The user an event carries: Authorizer's `User` as its webhooks encode it.
    public struct User: Sendable, Equatable, Decodable {
        public var id: String
        public var email: String?
        public var givenName: String?
        public var familyName: String?
        public var emailVerified: Bool?
        public var emailVerifiedAt: Int64?
        public var updatedAt: Int64?
        public var roles: [String]?

        enum CodingKeys: String, CodingKey {
            case id, email, roles
            case givenName = "given_name"
            case familyName = "family_name"
            case emailVerified = "email_verified"
            case emailVerifiedAt = "email_verified_at"
            case updatedAt = "updated_at"
        }

        /// Whether Authorizer has verified the email (2.x sends the flag, 1.x only the time).
        public var isVerified: Bool { emailVerified ?? (emailVerifiedAt != nil) }

        /// `updated_at` in seconds; Authorizer's timestamps may be seconds or milliseconds.
        public var updatedAtSeconds: Int64 {
            updatedAt.map { $0 > 100_000_000_000 ? $0 / 1000 : $0 } ?? 0
        }
    }

    public var kind: Kind
    public var user: User

    public init(kind: Kind, user: User) {
        self.kind = kind
        self.user = user
    }

    /// Why a body is not an event the platform applies.
    public struct Refusal: Error, Equatable, CustomStringConvertible {
        public var description: String
        /// The body's field at fault, if one is.
        public var field: String?
        /// The body is an event, but not one the platform applies (or not the one its URL names).
        public var isUnknownEvent = false
    }

    private struct Body: Decodable {
        var eventName: String?
        var event: String?
        var user: User

        enum CodingKeys: String, CodingKey {
            case eventName = "event_name"
            case event, user
        }
    }

    /// Decodes a webhook body. Its event is `event_name` (less a `-<digits>` suffix, which names a
    /// second configuration of one event), else `event`, else `pathEvent`, the event its URL
    /// names (1.x's per-event paths). The user's id keys every write, so one the database cannot
    /// hold, or longer than any Authorizer id (a UUID), is refused here.
    public init(body: Data, pathEvent: String? = nil) throws(Refusal) {
        let parsed: Body
        do {
            parsed = try JSONDecoder().decode(Body.self, from: body)
        } catch DecodingError.keyNotFound(let key, _) {
            throw Refusal(description: "missing '\(key.stringValue)'", field: key.stringValue)
        } catch {
            throw Refusal(description: "the body is not a webhook event")
        }
        guard let name = parsed.eventName.map(Self.baseName) ?? parsed.event ?? pathEvent else {
            throw Refusal(description: "missing 'event_name'", field: "event_name")
        }
        guard let kind = Kind(rawValue: name), pathEvent == nil || pathEvent == name else {
            throw Refusal(description: name, isUnknownEvent: true)
        }
        let id = parsed.user.id
        guard !id.isEmpty else { throw Refusal(description: "missing 'user.id'", field: "user.id") }
        guard id.utf8.count <= 255, !id.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw Refusal(description: "'user.id' is not an Authorizer user id", field: "user.id") }
        self.init(kind: kind, user: parsed.user)
    }

    /// `user.login-1755600000` (a second configuration of one event) is `user.login`.
    static func baseName(_ name: String) -> String {
        guard let dash = name.lastIndex(of: "-"), name[name.index(after: dash)...].allSatisfy(\.isNumber) else {
            return name
        }
        return String(name[..<dash])
    }
}
