/// A platform user's business role; the database enforces the same set with a CHECK.
public enum Role: String, Codable, Sendable, CaseIterable {
    case user = "USER"
    case admin = "ADMIN"
    case superAdmin = "SUPER_ADMIN"
}

/// A platform user's lifecycle status; the database enforces the same set with a CHECK.
public enum UserStatus: String, Codable, Sendable, CaseIterable {
    case active = "ACTIVE"
    case pendingVerification = "PENDING_VERIFICATION"
    case suspended = "SUSPENDED"
    case deleted = "DELETED"
}

/// A tenant's status.
public enum TenantStatus: String, Codable, Sendable, CaseIterable {
    case active = "ACTIVE"
    case suspended = "SUSPENDED"
}

/// A workflow's status.
public enum WorkflowStatus: String, Codable, Sendable, CaseIterable {
    case draft = "DRAFT"
    case active = "ACTIVE"
    case paused = "PAUSED"
    case archived = "ARCHIVED"
}

/// A report's status.
public enum ReportStatus: String, Codable, Sendable, CaseIterable {
    case pending = "PENDING"
    case ready = "READY"
    case failed = "FAILED"
}
