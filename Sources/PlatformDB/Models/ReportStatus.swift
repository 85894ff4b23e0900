/// A report's status.
public enum ReportStatus: String, Codable, Sendable, CaseIterable {
    case pending = "PENDING"
    case ready = "READY"
    case failed = "FAILED"
}
