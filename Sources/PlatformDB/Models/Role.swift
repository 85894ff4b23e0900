/// A platform user's business role; the database enforces the same set with a CHECK.
public enum Role: String, Codable, Sendable, CaseIterable {
    case user = "USER"
    case admin = "ADMIN"
    case superAdmin = "SUPER_ADMIN"
}
