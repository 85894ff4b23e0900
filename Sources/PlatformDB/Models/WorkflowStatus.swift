/// A workflow's status.
public enum WorkflowStatus: String, Codable, Sendable, CaseIterable {
    case draft = "DRAFT"
    case active = "ACTIVE"
    case paused = "PAUSED"
    case archived = "ARCHIVED"
}
