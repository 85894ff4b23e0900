import Foundation
import SQLKit

/// How a report list is filtered.
public struct ReportFilter: Sendable {
    public var workflowID: String?
    public var status: ReportStatus?
    public var createdBy: String?
    public var createdFrom: Date?
    public var createdTo: Date?

    public init(
        workflowID: String? = nil, status: ReportStatus? = nil, createdBy: String? = nil, createdFrom: Date? = nil,
        createdTo: Date? = nil
    ) {
        self.workflowID = workflowID
        self.status = status
        self.createdBy = createdBy
        self.createdFrom = createdFrom
        self.createdTo = createdTo
    }
}
