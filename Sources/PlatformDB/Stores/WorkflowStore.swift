import Foundation
import SQLKit

/// Workflows of one tenant. Every method takes a ``TenantScope`` and filters by its `client_id`.
public struct WorkflowStore: Sendable {
    let database: PlatformDatabase

    /// Runs the read `body` with this store over the read replica when it has caught up, else
    /// over the primary (``PlatformDatabase/read(_:)``); `body` must only read.
    public func reading<T: Sendable>(_ body: (WorkflowStore) async throws -> T) async throws -> T {
        try await database.read { try await body(WorkflowStore($0)) }
    }

    public init(_ database: PlatformDatabase) {
        self.database = database
    }

    /// The outcome of a conditional write.
    public enum WriteResult: Sendable, Equatable {
        case written(WorkflowRecord)
        case notFound
        /// The stored version differs from the one the caller expected.
        case versionMismatch(current: Int)
    }

    public func create(_ input: WorkflowInput, in scope: TenantScope, now: Date = Date()) async throws -> WorkflowRecord
    {
        let now = now.databasePrecision
        return try await database.scoped(scope) { sql in
            let row = try await sql.insert(into: "workflows")
                .columns(
                    "id", "client_id", "name", "description", "status", "definition", "version", "created_by",
                    "created_at", "updated_at"
                )
                .values(
                    SQLBind(Identifier.make(now: now)), SQLBind(scope.tenantID), SQLBind(input.name ?? ""),
                    SQLBind(input.description ?? nil), SQLBind((input.status ?? .draft).rawValue),
                    SQLBind(input.definition ?? "{}"),
                    SQLBind(1), SQLBind(scope.actorID), SQLBind(now), SQLBind(now)
                )
                .returning(SQLColumn("*"))
                .first()
            guard let row else { throw PlatformDBError.unavailable("insert returned no row") }
            return try WorkflowRecord(row: row)
        }
    }

    public func find(_ id: String, in scope: TenantScope) async throws -> WorkflowRecord? {
        try await database.withConnection { sql in
            try await sql.select().column("*").from("workflows").whereTenant(scope).where("id", .equal, SQLBind(id))
                .first().map(WorkflowRecord.init(row:))
        }
    }

    /// The unfiltered page, newest first, after `cursor`, written by PostgreSQL as the API's JSON
    /// (``WorkflowPages``): `limit` is the page size plus one. Nil on SQLite, where the caller
    /// reads records with ``list(in:status:nameContains:limit:after:)``.
    public func renderedPage(in scope: TenantScope, limit: Int, after cursor: PageCursor?) async throws -> RenderedPage?
    {
        let first = WorkflowPages.First(scope: scope, limit: limit)
        let rows =
            if let cursor {
                try await database.prepared(WorkflowPages.After(page: first, cursor: cursor))
            } else {
                try await database.prepared(first)
            }
        return rows?.first
    }

    /// A page, newest first, after `cursor`, filtered by status and a name substring.
    public func list(
        in scope: TenantScope, status: WorkflowStatus?, nameContains: String?, limit: Int, after cursor: PageCursor?
    ) async throws -> [WorkflowRecord] {
        return try await database.withConnection { sql in
            var query = sql.select().column("*").from("workflows").whereTenant(scope)
            if let status { query = query.where("status", .equal, SQLBind(status.rawValue)) }
            if let nameContains, !nameContains.isEmpty {
                let escaped = nameContains.lowercased().replacingOccurrences(of: "\\", with: "\\\\")
                    .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
                query = query.where(
                    SQLBinaryExpression(
                        SQLFunction("LOWER", args: SQLColumn("name")), .like,
                        SQLList([SQLBind("%" + escaped + "%"), SQLRaw("ESCAPE '\\'")], separator: SQLRaw(" "))))
            }
            return try await query.page(after: cursor, limit: limit).all()
                .map(WorkflowRecord.init(row:))
        }
    }

    /// Applies `input`, bumping the version, if the stored version is `expectedVersion` (when given).
    public func update(
        _ id: String, with input: WorkflowInput, expectedVersion: Int?, in scope: TenantScope, now: Date = Date()
    ) async throws -> WriteResult {
        let now = now.databasePrecision
        return try await database.scoped(scope) { sql in
            var query = sql.update("workflows")
                .set("version", to: SQLRaw("version + 1")).set("updated_at", to: SQLBind(now))
            if let name = input.name { query = query.set("name", to: SQLBind(name)) }
            if let description = input.description { query = query.set("description", to: SQLBind(description)) }
            if let status = input.status { query = query.set("status", to: SQLBind(status.rawValue)) }
            if let definition = input.definition { query = query.set("definition", to: SQLBind(definition)) }
            query = query.whereTenant(scope).where("id", .equal, SQLBind(id))
            if let expectedVersion { query = query.where("version", .equal, SQLBind(expectedVersion)) }
            if let row = try await query.returning(SQLColumn("*")).first() {
                return .written(try WorkflowRecord(row: row))
            }
            return try await Self.miss(id, scope: scope, on: sql)
        }
    }

    /// Deletes if the stored version is `expectedVersion` (when given).
    public func delete(_ id: String, expectedVersion: Int?, in scope: TenantScope) async throws -> WriteResult {
        try await database.scoped(scope) { sql in
            var query = sql.delete(from: "workflows")
                .whereTenant(scope).where("id", .equal, SQLBind(id))
            if let expectedVersion { query = query.where("version", .equal, SQLBind(expectedVersion)) }
            if let row = try await query.returning(SQLColumn("*")).first() {
                let record = try WorkflowRecord(row: row)
                try await AuditLog.insert(
                    on: sql, tenantID: scope.tenantID, actor: scope.actorID, action: "workflow.deleted", target: id,
                    detail: record.name, now: Date())
                return .written(record)
            }
            return try await Self.miss(id, scope: scope, on: sql)
        }
    }

    /// Why a conditional write matched nothing: gone (or another tenant's), or a newer version.
    private static func miss(_ id: String, scope: TenantScope, on sql: any SQLDatabase) async throws -> WriteResult {
        let current = try await sql.select().column("version").from("workflows")
            .whereTenant(scope).where("id", .equal, SQLBind(id))
            .first()?.decode(column: "version", as: Int.self)
        return current.map { .versionMismatch(current: $0) } ?? .notFound
    }
}
