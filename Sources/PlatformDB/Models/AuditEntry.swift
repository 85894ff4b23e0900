import Foundation
import SQLKit

/// One line of `audit_log`.
public struct AuditEntry: Sendable, Equatable {
    public let id: String
    public let actor: String
    public let action: String
    public let target: String?
    public let detail: String?
    public let createdAt: Date

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: String.self)
        actor = try row.decode(column: "actor", as: String.self)
        action = try row.decode(column: "action", as: String.self)
        target = try row.decode(column: "target", as: String?.self)
        detail = try row.decode(column: "detail", as: String?.self)
        createdAt = try row.decode(column: "created_at", as: Date.self)
    }
}
