import Foundation
import SQLKit

/// A row of `reports`, always read within a ``TenantScope``.
public struct ReportRecord: Sendable, Equatable {
    public let id: String
    public let tenantID: String
    public let workflowID: String?
    public let title: String
    public let status: ReportStatus
    public let parameters: String
    public let content: String?
    public let createdBy: String?
    public let createdAt: Date
    public let updatedAt: Date

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: String.self)
        tenantID = try row.decode(column: "client_id", as: String.self)
        workflowID = try row.decode(column: "workflow_id", as: String?.self)
        title = try row.decode(column: "title", as: String.self)
        let statusText = try row.decode(column: "status", as: String.self)
        guard let status = ReportStatus(rawValue: statusText) else {
            throw PlatformDBError.constraintViolation("report \(id) has status \(statusText)")
        }
        self.status = status
        parameters = try row.decode(column: "parameters", as: String.self)
        content = try row.decode(column: "content", as: String?.self)
        createdBy = try row.decode(column: "created_by", as: String?.self)
        createdAt = try row.decode(column: "created_at", as: Date.self)
        updatedAt = try row.decode(column: "updated_at", as: Date.self)
    }
}
