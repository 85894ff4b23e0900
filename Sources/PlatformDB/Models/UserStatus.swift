/// A platform user's lifecycle status; the database enforces the same set with a CHECK.
public enum UserStatus: String, Codable, Sendable, CaseIterable {
    case active = "ACTIVE"
    case pendingVerification = "PENDING_VERIFICATION"
    case suspended = "SUSPENDED"
    case deleted = "DELETED"
}
