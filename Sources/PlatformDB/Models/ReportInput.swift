import Foundation
import SQLKit

/// The fields a report is created or changed with. `workflowID` is checked against the tenant.
public struct ReportInput: Sendable {
    public var title: String?
    public var workflowID: String??
    public var status: ReportStatus?
    public var parameters: String?
    public var content: String??

    public init(
        title: String? = nil, workflowID: String?? = nil, status: ReportStatus? = nil, parameters: String? = nil,
        content: String?? = nil
    ) {
        self.title = title
        self.workflowID = workflowID
        self.status = status
        self.parameters = parameters
        self.content = content
    }
}
