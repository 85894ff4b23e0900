import Foundation
import SQLKit

/// A row of `workflows`, always read within a ``TenantScope``.
public struct WorkflowRecord: Sendable, Equatable {
    public let id: String
    public let tenantID: String
    public let name: String
    public let description: String?
    public let status: WorkflowStatus
    /// The JSON definition, as text.
    public let definition: String
    /// Increments on every change; the ETag.
    public let version: Int
    public let createdBy: String?
    public let createdAt: Date
    public let updatedAt: Date

    init(
        id: String, tenantID: String, name: String, description: String?, status: WorkflowStatus, definition: String,
        version: Int, createdBy: String?, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.tenantID = tenantID
        self.name = name
        self.description = description
        self.status = status
        self.definition = definition
        self.version = version
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: String.self)
        tenantID = try row.decode(column: "client_id", as: String.self)
        name = try row.decode(column: "name", as: String.self)
        description = try row.decode(column: "description", as: String?.self)
        let statusText = try row.decode(column: "status", as: String.self)
        guard let status = WorkflowStatus(rawValue: statusText) else {
            throw PlatformDBError.constraintViolation("workflow \(id) has status \(statusText)")
        }
        self.status = status
        definition = try row.decode(column: "definition", as: String.self)
        version = try row.decode(column: "version", as: Int.self)
        createdBy = try row.decode(column: "created_by", as: String?.self)
        createdAt = try row.decode(column: "created_at", as: Date.self)
        updatedAt = try row.decode(column: "updated_at", as: Date.self)
    }
}

extension WorkflowRecord: Pageable {}
extension ReportRecord: Pageable {}
extension UserRecord: Pageable {}
extension TenantRecord: Pageable {}

extension Date {
    /// The instants both databases and ISO 8601 hold: 0001-01-01T00:00:00Z to
    /// 9999-12-31T23:59:59Z. A date from outside (a cursor, a query, a webhook) must be in it before
    /// it is bound: PostgresNIO converts a `Date` to Int64 microseconds since 2000 and traps beyond
    /// about ±292,000 years.
    public static let storableRange =
        Date(timeIntervalSince1970: -62_135_596_800)...Date(timeIntervalSince1970: 253_402_300_799)

    /// `date`, if it lies in ``storableRange``; otherwise ``PlatformDBError/invalidValue(_:)`` naming `name`.
    static func storable(_ date: Date, _ name: String) throws -> Date {
        guard storableRange.contains(date) else { throw PlatformDBError.invalidValue("\(name) out of range") }
        return date
    }

    /// This time at the databases' common precision (microseconds): written so, it reads back
    /// equal on both, which keyset cursors rely on.
    public var databasePrecision: Date {
        let seconds = timeIntervalSinceReferenceDate
        return Date(timeIntervalSinceReferenceDate: (seconds * 1e6).rounded() / 1e6)
    }
}

extension SQLSelectBuilder {
    /// Keyset pagination, newest first: the rows after `cursor` in `created_at DESC, id DESC` order.
    func page(after cursor: PageCursor?, limit: Int) throws -> SQLSelectBuilder {
        var query = self
        if let cursor {
            let createdAt = try cursor.storableCreatedAt
            query = query.where {
                $0.where("created_at", .lessThan, SQLBind(createdAt)).orWhere {
                    $0.where("created_at", .equal, SQLBind(createdAt)).where("id", .lessThan, SQLBind(cursor.id))
                }
            }
        }
        return query.orderBy("created_at", .descending).orderBy("id", .descending).limit(limit)
    }
}
