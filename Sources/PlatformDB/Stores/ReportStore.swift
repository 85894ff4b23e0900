import Foundation
import SQLKit

/// Reports of one tenant. Every method takes a ``TenantScope`` and filters by its `client_id`.
public struct ReportStore: Sendable {
    let database: PlatformDatabase

    /// Runs the read `body` with this store over the read replica when it has caught up, else
    /// over the primary (``PlatformDatabase/read(_:)``); `body` must only read.
    public func reading<T: Sendable>(_ body: (ReportStore) async throws -> T) async throws -> T {
        try await database.read { try await body(ReportStore($0)) }
    }

    public init(_ database: PlatformDatabase) {
        self.database = database
    }

    /// Why a write was refused.
    public enum WriteError: Error, Equatable, Sendable {
        case notFound
        /// The workflow is not one of this tenant's (missing or foreign: the same answer).
        case unknownWorkflow
    }

    public func create(_ input: ReportInput, in scope: TenantScope, now: Date = Date()) async throws -> Result<
        ReportRecord, WriteError
    > {
        let now = now.databasePrecision
        return try await database.scoped(scope) { sql in
            if let workflow = input.workflowID ?? nil, try await !Self.workflowExists(workflow, scope, sql) {
                return .failure(.unknownWorkflow)
            }
            guard
                let row = try await sql.insert(into: "reports")
                    .columns(
                        "id", "client_id", "workflow_id", "title", "status", "parameters", "content", "created_by",
                        "created_at", "updated_at"
                    )
                    .values(
                        SQLBind(Identifier.make(now: now)), SQLBind(scope.tenantID), SQLBind(input.workflowID ?? nil),
                        SQLBind(input.title ?? ""), SQLBind((input.status ?? .pending).rawValue),
                        SQLBind(input.parameters ?? "{}"),
                        SQLBind(input.content ?? nil), SQLBind(scope.actorID), SQLBind(now), SQLBind(now)
                    )
                    .returning(SQLColumn("*")).first()
            else { throw PlatformDBError.unavailable("insert returned no row") }
            return .success(try ReportRecord(row: row))
        }
    }

    public func find(_ id: String, in scope: TenantScope) async throws -> ReportRecord? {
        try await database.withConnection { sql in
            try await sql.select().column("*").from("reports").whereTenant(scope).where("id", .equal, SQLBind(id))
                .first().map(ReportRecord.init(row:))
        }
    }

    public func list(in scope: TenantScope, filter: ReportFilter, limit: Int, after cursor: PageCursor?) async throws
        -> [ReportRecord]
    {
        try await database.withConnection { sql in
            var query = sql.select().column("*").from("reports").whereTenant(scope)
            if let workflow = filter.workflowID { query = query.where("workflow_id", .equal, SQLBind(workflow)) }
            if let status = filter.status { query = query.where("status", .equal, SQLBind(status.rawValue)) }
            if let createdBy = filter.createdBy { query = query.where("created_by", .equal, SQLBind(createdBy)) }
            if let from = filter.createdFrom {
                query = query.where("created_at", .greaterThanOrEqual, SQLBind(try Date.storable(from, "createdFrom")))
            }
            if let to = filter.createdTo {
                query = query.where("created_at", .lessThan, SQLBind(try Date.storable(to, "createdTo")))
            }
            return try await query.page(after: cursor, limit: limit).all()
                .map(ReportRecord.init(row:))
        }
    }

    /// Changes a report; `onlyCreatedBy` limits the write to the caller's own reports (USER).
    public func update(
        _ id: String, with input: ReportInput, onlyCreatedBy: String?, in scope: TenantScope, now: Date = Date()
    ) async throws -> Result<ReportRecord, WriteError> {
        let now = now.databasePrecision
        return try await database.scoped(scope) { sql in
            if let workflow = input.workflowID ?? nil, try await !Self.workflowExists(workflow, scope, sql) {
                return .failure(.unknownWorkflow)
            }
            var query = sql.update("reports").set("updated_at", to: SQLBind(now))
            if let title = input.title { query = query.set("title", to: SQLBind(title)) }
            if let workflow = input.workflowID { query = query.set("workflow_id", to: SQLBind(workflow)) }
            if let status = input.status { query = query.set("status", to: SQLBind(status.rawValue)) }
            if let parameters = input.parameters { query = query.set("parameters", to: SQLBind(parameters)) }
            if let content = input.content { query = query.set("content", to: SQLBind(content)) }
            query = query.whereTenant(scope).where("id", .equal, SQLBind(id))
            if let owner = onlyCreatedBy { query = query.where("created_by", .equal, SQLBind(owner)) }
            guard let row = try await query.returning(SQLColumn("*")).first() else { return .failure(.notFound) }
            return .success(try ReportRecord(row: row))
        }
    }

    /// Deletes a report; `onlyCreatedBy` limits it to the caller's own. Returns whether one was deleted.
    public func delete(_ id: String, onlyCreatedBy: String?, in scope: TenantScope) async throws -> Bool {
        try await database.scoped(scope) { sql in
            var query = sql.delete(from: "reports").whereTenant(scope).where("id", .equal, SQLBind(id))
            if let owner = onlyCreatedBy { query = query.where("created_by", .equal, SQLBind(owner)) }
            guard try await !query.returning("id").all().isEmpty else { return false }
            try await AuditLog.insert(
                on: sql, tenantID: scope.tenantID, actor: scope.actorID, action: "report.deleted", target: id,
                now: Date())
            return true
        }
    }

    private static func workflowExists(_ id: String, _ scope: TenantScope, _ sql: any SQLDatabase) async throws -> Bool
    {
        try await sql.select().column("id").from("workflows")
            .whereTenant(scope).where("id", .equal, SQLBind(id)).first() != nil
    }
}
