import Foundation
import SQLKit

/// Appends to `audit_log`.
public struct AuditLog: Sendable {
    let database: PlatformDatabase

    public init(_ database: PlatformDatabase) {
        self.database = database
    }

    /// One entry. `tenantID` is nil for platform-wide events.
    public func record(
        actor: String, action: String, target: String? = nil, detail: String? = nil, tenantID: String? = nil,
        now: Date = Date()
    ) async throws {
        try await database.transaction(
            settings: tenantID.map { [(PlatformDatabase.tenantSetting, TenantProof.setting(for: $0))] } ?? []
        ) { sql in
            try await Self.insert(
                on: sql, tenantID: tenantID, actor: actor, action: action, target: target, detail: detail, now: now)
        }
    }

    /// Appends an entry on a connection the caller holds, inside its (scoped) transaction.
    static func insert(
        on sql: any SQLDatabase, tenantID: String?, actor: String, action: String, target: String?,
        detail: String? = nil,
        now: Date
    ) async throws {
        try await sql.insert(into: "audit_log")
            .columns("id", "client_id", "actor", "action", "target", "detail", "created_at")
            .values(
                SQLBind(Identifier.make(now: now)), SQLBind(tenantID), SQLBind(actor), SQLBind(action), SQLBind(target),
                SQLBind(detail), SQLBind(now)
            )
            .run()
    }

    /// Platform-wide entries of `action`, newest first (tests and operators).
    public func entries(action: String, limit: Int = 100) async throws -> [(
        actor: String, target: String?, detail: String?
    )] {
        try await database.withConnection { sql in
            try await sql.select().columns("actor", "target", "detail").from("audit_log")
                .where("action", .equal, SQLBind(action)).orderBy("created_at", .descending).limit(limit).all()
                .map {
                    (
                        try $0.decode(column: "actor", as: String.self),
                        try $0.decode(column: "target", as: String?.self),
                        try $0.decode(column: "detail", as: String?.self)
                    )
                }
        }
    }
}
