import Foundation
import SQLKit

/// The users of one tenant, as its ADMINs manage them. Every method takes a ``TenantScope``.
public struct TenantUserStore: Sendable {
    let database: PlatformDatabase

    public init(_ database: PlatformDatabase) {
        self.database = database
    }

    public func list(in scope: TenantScope, limit: Int, after cursor: PageCursor?) async throws -> [UserRecord] {
        try await database.scoped(scope) { sql in
            let query = sql.select().columns(UserRecord.columns.map { SQLColumn($0) }).from("users")
                .whereTenant(scope)
            return try await query.page(after: cursor, limit: limit).all()
                .map(UserRecord.init(row:))
        }
    }

    public func find(_ id: String, in scope: TenantScope) async throws -> UserRecord? {
        try await database.scoped(scope) { sql in
            try await sql.select().columns(UserRecord.columns.map { SQLColumn($0) }).from("users")
                .whereTenant(scope).where("id", .equal, SQLBind(id))
                .first().map(UserRecord.init(row:))
        }
    }

    /// Why a member change was refused.
    public enum ChangeError: Error, Equatable, Sendable {
        case notFound
        /// The tenant would be left without an active ADMIN.
        case lastAdmin
        case notAllowed(String)
    }

    /// Changes a member's role (USER/ADMIN) and/or status (ACTIVE/SUSPENDED), in one transaction
    /// that keeps at least one active ADMIN, and records it in the audit log.
    public func change(_ id: String, role: Role?, status: UserStatus?, in scope: TenantScope, now: Date = Date())
        async throws
        -> Result<UserRecord, ChangeError>
    {
        if role == .superAdmin { return .failure(.notAllowed("role must be USER or ADMIN")) }
        if let status, ![.active, .suspended].contains(status) {
            return .failure(.notAllowed("status must be ACTIVE or SUSPENDED"))
        }
        let dialect = database.dialect
        return try await database.scoped(scope) { sql in
            let lock = dialect == .postgres ? " FOR UPDATE" : ""
            let rows = try await sql.raw(
                "SELECT id, role, status FROM users WHERE \(TenantGate(scope: scope))\(unsafeRaw: lock)"
            ).all()
            let members = try rows.map {
                (
                    id: try $0.decode(column: "id", as: String.self),
                    role: try $0.decode(column: "role", as: String.self),
                    status: try $0.decode(column: "status", as: String.self)
                )
            }
            guard let target = members.first(where: { $0.id == id }) else { return .failure(.notFound) }
            // DELETED is Authorizer's fact and terminal: no role or status brings a deleted user back.
            if target.status == UserStatus.deleted.rawValue {
                return .failure(.notAllowed("a deleted user cannot be changed"))
            }
            let staysAdmin =
                (role ?? Role(rawValue: target.role)) == .admin
                && (status ?? UserStatus(rawValue: target.status)) == .active
            let otherAdmins = members.filter {
                $0.id != id && $0.role == Role.admin.rawValue && $0.status == UserStatus.active.rawValue
            }
            if target.role == Role.admin.rawValue, target.status == UserStatus.active.rawValue, !staysAdmin,
                otherAdmins.isEmpty
            {
                return .failure(.lastAdmin)
            }
            var update = sql.update("users").set("updated_at", to: SQLBind(now))
            if let role { update = update.set("role", to: SQLBind(role.rawValue)) }
            if let status { update = update.set("status", to: SQLBind(status.rawValue)) }
            guard
                let row = try await update.whereTenant(scope).where("id", .equal, SQLBind(id))
                    .returning(UserRecord.columns.map { SQLColumn($0) }).first()
            else { return .failure(.notFound) }
            if status != nil { try await UserStore(database).takeOverSuspension(userID: id, on: sql) }
            var changes: [String] = []
            if let role { changes.append("role=\(role.rawValue)") }
            if let status { changes.append("status=\(status.rawValue)") }
            try await AuditLog.insert(
                on: sql, tenantID: scope.tenantID, actor: scope.actorID, action: "user.changed", target: id,
                detail: changes.joined(separator: ", "), now: now)
            return .success(try UserRecord(row: row))
        }
    }

    /// Makes a member a platform operator (the console's restore): they leave the
    /// tenant, which keeps at least one active ADMIN, and become SUPER_ADMIN; recorded in the
    /// tenant's audit log.
    public func makeOperator(_ id: String, in scope: TenantScope, now: Date = Date()) async throws -> Result<
        UserRecord, ChangeError
    > {
        let dialect = database.dialect
        return try await database.scoped(scope) { sql in
            let lock = dialect == .postgres ? " FOR UPDATE" : ""
            let members = try await sql.raw(
                "SELECT id, role, status FROM users WHERE \(TenantGate(scope: scope))\(unsafeRaw: lock)"
            ).all().map {
                (
                    id: try $0.decode(column: "id", as: String.self),
                    role: try $0.decode(column: "role", as: String.self),
                    status: try $0.decode(column: "status", as: String.self)
                )
            }
            guard let target = members.first(where: { $0.id == id }) else { return .failure(.notFound) }
            let otherAdmins = members.filter {
                $0.id != id && $0.role == Role.admin.rawValue && $0.status == UserStatus.active.rawValue
            }
            if target.role == Role.admin.rawValue, target.status == UserStatus.active.rawValue, otherAdmins.isEmpty {
                return .failure(.lastAdmin)
            }
            guard
                let row = try await sql.update("users").set("updated_at", to: SQLBind(now))
                    .set("role", to: SQLBind(Role.superAdmin.rawValue)).set("client_id", to: SQLLiteral.null)
                    .whereTenant(scope).where("id", .equal, SQLBind(id))
                    .returning(UserRecord.columns.map { SQLColumn($0) }).first()
            else { return .failure(.notFound) }
            try await AuditLog.insert(
                on: sql, tenantID: scope.tenantID, actor: scope.actorID, action: "user.made_operator", target: id,
                detail: "role=SUPER_ADMIN, left the tenant", now: now)
            return .success(try UserRecord(row: row))
        }
    }

    /// The tenant's audit log, newest first.
    public func auditLog(in scope: TenantScope, limit: Int) async throws -> [AuditEntry] {
        try await database.scoped(scope) { sql in
            try await sql.select().column("*").from("audit_log").whereTenant(scope)
                .orderBy("created_at", .descending).orderBy("id", .descending).limit(limit).all()
                .map(AuditEntry.init(row:))
        }
    }
}
