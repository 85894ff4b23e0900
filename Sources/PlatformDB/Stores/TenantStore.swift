import Foundation
import SQLKit

/// Reads and writes tenants. Every error it throws is a ``PlatformDBError``.
public struct TenantStore: Sendable {
    let database: PlatformDatabase

    /// A store over `database`.
    public init(_ database: PlatformDatabase) {
        self.database = database
    }

    /// Creates a tenant; a taken slug throws ``PlatformDBError/alreadyExists(table:field:)``.
    public func create(name: String, slug: String, now: Date = Date()) async throws -> TenantRecord {
        try await database.withConnection { sql in
            let row = try await sql.insert(into: "clients")
                .columns("id", "name", "slug", "status", "created_at", "updated_at")
                .values(
                    SQLBind(Identifier.make(now: now)), SQLBind(name), SQLBind(slug),
                    SQLBind(TenantStatus.active.rawValue), SQLBind(now), SQLBind(now)
                )
                .returning(SQLColumn("*"))
                .first()
            guard let row else { throw PlatformDBError.unavailable("insert returned no row") }
            return try TenantRecord(row: row)
        }
    }

    /// Creates a tenant and makes the user linked to `ownerAuthorizerID` its ADMIN, in one
    /// transaction. The slug is made from the name plus a random suffix, so names may repeat.
    public func createTenant(name: String, ownerAuthorizerID: String, now: Date = Date()) async throws -> UserRecord {
        try await database.transaction { sql in
            try await createTenant(name: name, ownerAuthorizerID: ownerAuthorizerID, now: now, on: sql)
        }
    }

    /// ``createTenant(name:ownerAuthorizerID:now:)`` on a connection the caller holds, inside its
    /// transaction (a signup writes its user and its tenant in one).
    public func createTenant(name: String, ownerAuthorizerID: String, now: Date, on sql: any SQLDatabase) async throws
        -> UserRecord
    {
        let slug = Self.slug(for: name)
        let tenantID = Identifier.make(now: now)
        try await sql.insert(into: "clients")
            .columns("id", "name", "slug", "status", "created_at", "updated_at")
            .values(
                SQLBind(tenantID), SQLBind(name), SQLBind(slug), SQLBind(TenantStatus.active.rawValue), SQLBind(now),
                SQLBind(now)
            )
            .run()
        guard
            let row = try await sql.update("users")
                .set("client_id", to: SQLBind(tenantID)).set("role", to: SQLBind(Role.admin.rawValue))
                .set("updated_at", to: SQLBind(now))
                .where("authorizer_id", .equal, SQLBind(ownerAuthorizerID))
                .where("client_id", .is, SQLLiteral.null)
                .where("role", .notEqual, SQLBind(Role.superAdmin.rawValue))
                .returning(UserRecord.columns.map { SQLColumn($0) })
                .first()
        else {
            throw PlatformDBError.constraintViolation("the user already belongs to a tenant or is a platform operator")
        }
        return try UserRecord(row: row)
    }

    public static func slug(for name: String) -> String {
        let base = name.lowercased().unicodeScalars.map {
            CharacterSet.alphanumerics.contains($0) && $0.isASCII ? Character($0) : "-"
        }
        let collapsed = String(base).split(separator: "-").joined(separator: "-").prefix(40)
        let suffix = Identifier.make().suffix(6)
        return (collapsed.isEmpty ? "tenant" : String(collapsed)) + "-" + suffix
    }

    /// Every tenant, newest first (platform operators only).
    public func all(limit: Int, after cursor: PageCursor?) async throws -> [TenantRecord] {
        try await database.withConnection { sql in
            try await sql.select().column("*").from("clients")
                .page(after: cursor, limit: limit).all()
                .map(TenantRecord.init(row:))
        }
    }

    /// Creates an empty tenant (platform operators; its first ADMIN joins by invitation).
    public func create(name: String, by actor: UserRecord, audit: AuditLog, now: Date = Date()) async throws
        -> TenantRecord
    {
        guard actor.role == .superAdmin else {
            throw PlatformDBError.constraintViolation("only a SUPER_ADMIN creates tenants")
        }
        let tenant = try await create(name: name, slug: Self.slug(for: name), now: now.databasePrecision)
        try await audit.record(
            actor: actor.id, action: "tenant.created", target: tenant.id, detail: name, tenantID: tenant.id)
        return tenant
    }

    /// Suspends or reactivates a tenant (platform operators), audited.
    public func setStatus(
        _ status: TenantStatus, of id: String, by actor: UserRecord, audit: AuditLog, now: Date = Date()
    ) async throws
        -> TenantRecord?
    {
        guard actor.role == .superAdmin else {
            throw PlatformDBError.constraintViolation("only a SUPER_ADMIN changes tenants")
        }
        let updated = try await database.withConnection { sql in
            try await sql.update("clients").set("status", to: SQLBind(status.rawValue)).set(
                "updated_at", to: SQLBind(now)
            )
            .where("id", .equal, SQLBind(id)).returning(SQLColumn("*")).first().map(TenantRecord.init(row:))
        }
        if updated != nil {
            try await audit.record(
                actor: actor.id, action: "tenant.\(status.rawValue.lowercased())", target: id, tenantID: id)
        }
        return updated
    }

    /// The scope's own tenant.
    public func current(in scope: TenantScope) async throws -> TenantRecord? {
        try await find(id: scope.tenantID)
    }

    /// Renames the scope's tenant, and records it.
    public func rename(to name: String, in scope: TenantScope, now: Date = Date()) async throws -> TenantRecord? {
        try await database.scoped(scope) { sql in
            guard
                let row = try await sql.update("clients").set("name", to: SQLBind(name)).set(
                    "updated_at", to: SQLBind(now)
                )
                .where("id", .equal, SQLBind(scope.tenantID)).returning(SQLColumn("*")).first()
            else { return nil }
            try await AuditLog.insert(
                on: sql, tenantID: scope.tenantID, actor: scope.actorID, action: "tenant.renamed",
                target: scope.tenantID,
                detail: name, now: now)
            return try TenantRecord(row: row)
        }
    }

    /// The tenant with id `id`.
    public func find(id: String) async throws -> TenantRecord? {
        try await database.withConnection { sql in
            try await sql.select().column("*").from("clients")
                .where("id", .equal, SQLBind(id))
                .first()
                .map(TenantRecord.init(row:))
        }
    }
}
