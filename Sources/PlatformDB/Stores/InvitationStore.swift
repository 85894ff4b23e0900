import Crypto
import Foundation
import SQLKit

/// Invitations to join a tenant: made and revoked within a ``TenantScope``, accepted by token.
public struct InvitationStore: Sendable {
    let database: PlatformDatabase
    public static let lifetime: TimeInterval = 7 * 24 * 3600

    public init(_ database: PlatformDatabase) {
        self.database = database
    }

    /// Makes an invitation and returns it with its token, which is stored only as a hash and
    /// cannot be shown again.
    public func create(email: String, role: Role, in scope: TenantScope, now: Date = Date()) async throws -> (
        InvitationRecord, String
    ) {
        var generator = SystemRandomNumberGenerator()
        let token =
            "inv_"
            + Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(
                of: "=", with: "")
        let record = try await database.scoped(scope) { sql in
            guard
                let row = try await sql.insert(into: "invitations")
                    .columns("id", "client_id", "email", "role", "token_hash", "created_by", "created_at", "expires_at")
                    .values(
                        SQLBind(Identifier.make(now: now)), SQLBind(scope.tenantID), SQLBind(email.lowercased()),
                        SQLBind(role.rawValue),
                        SQLBind(Self.hash(token)), SQLBind(scope.actorID), SQLBind(now),
                        SQLBind(now.addingTimeInterval(Self.lifetime))
                    )
                    .returning(SQLColumn("*")).first()
            else { throw PlatformDBError.unavailable("insert returned no row") }
            let record = try InvitationRecord(row: row)
            try await AuditLog.insert(
                on: sql, tenantID: scope.tenantID, actor: scope.actorID, action: "invitation.created",
                target: record.id,
                detail: "\(record.email) as \(role.rawValue)", now: now)
            return record
        }
        return (record, token)
    }

    public func list(in scope: TenantScope) async throws -> [InvitationRecord] {
        try await database.scoped(scope) { sql in
            try await sql.select().column("*").from("invitations").whereTenant(scope)
                .orderBy("created_at", .descending).limit(500).all().map(InvitationRecord.init(row:))
        }
    }

    /// Revokes an open invitation; false when there is none of that id in this tenant.
    public func revoke(_ id: String, in scope: TenantScope, now: Date = Date()) async throws -> Bool {
        try await database.scoped(scope) { sql in
            let rows = try await sql.update("invitations").set("revoked_at", to: SQLBind(now))
                .whereTenant(scope).where("id", .equal, SQLBind(id))
                .where("accepted_at", .is, SQLLiteral.null).where("revoked_at", .is, SQLLiteral.null)
                .returning("id").all()
            guard !rows.isEmpty else { return false }
            try await AuditLog.insert(
                on: sql, tenantID: scope.tenantID, actor: scope.actorID, action: "invitation.revoked", target: id,
                now: now)
            return true
        }
    }

    /// Why an invitation could not be accepted; each is said plainly to the user.
    public enum AcceptError: Error, Equatable, Sendable {
        case unknown, used, revoked, expired, otherEmail, alreadyInTenant
        /// A platform operator never joins a tenant (see ``ForbidOperatorsInTenants``).
        case platformOperator
        /// Whoever made the invitation can no longer invite to the tenant (demoted, suspended,
        /// deleted, gone): an invitation carries its author's rights only while they hold them.
        case inviterLacksRights
    }

    /// Accepts by token for `user`: the email must match and the user must not be in a tenant.
    /// One transaction: the user joins with the invited role, the invitation is used up.
    public func accept(token: String, for user: UserRecord, now: Date = Date()) async throws -> Result<
        UserRecord, AcceptError
    > {
        try await database.transaction { sql in try await accept(token: token, for: user, now: now, on: sql) }
    }

    /// ``accept(token:for:now:)`` on a connection the caller holds, inside its transaction (a
    /// signup writes its user and joins the tenant in one).
    public func accept(token: String, for user: UserRecord, now: Date, on sql: any SQLDatabase) async throws
        -> Result<UserRecord, AcceptError>
    {
        try await accept(tokenHash: Self.hash(token), for: user, now: now, on: sql)
    }

    /// ``accept(token:for:now:on:)`` by the token's hash (a signup intent keeps only the hash).
    public func accept(tokenHash: String, for user: UserRecord, now: Date, on sql: any SQLDatabase) async throws
        -> Result<UserRecord, AcceptError>
    {
        // Before the tenant is known, row-level security admits the one invitation whose hash this is.
        let postgres = sql.dialect.name == "postgresql"
        if postgres {
            try await sql.raw("SELECT set_config(\(bind: Self.tokenSetting), \(bind: tokenHash), true)").run()
        }
        guard
            let row = try await sql.select().column("*").from("invitations")
                .where("token_hash", .equal, SQLBind(tokenHash)).first()
        else { return .failure(.unknown) }
        let invitation = try InvitationRecord(row: row)
        let tenantID = try row.decode(column: "client_id", as: String.self)
        if invitation.acceptedAt != nil { return .failure(.used) }
        if invitation.revokedAt != nil { return .failure(.revoked) }
        if invitation.expiresAt <= now { return .failure(.expired) }
        if invitation.email != user.email.lowercased() { return .failure(.otherEmail) }
        if user.role == .superAdmin { return .failure(.platformOperator) }
        if user.tenantID != nil { return .failure(.alreadyInTenant) }
        guard try await Self.inviterMayInvite(row, to: tenantID, on: sql) else { return .failure(.inviterLacksRights) }
        if postgres {
            let setting = TenantProof.setting(for: tenantID)
            try await sql.raw("SELECT set_config(\(bind: PlatformDatabase.tenantSetting), \(bind: setting), true)")
                .run()
        }
        let claimed = try await sql.update("invitations").set("accepted_at", to: SQLBind(now)).set(
            "accepted_by", to: SQLBind(user.id)
        )
        .where("id", .equal, SQLBind(invitation.id)).where("accepted_at", .is, SQLLiteral.null).returning("id").all()
        guard !claimed.isEmpty else { return .failure(.used) }
        guard
            let updated = try await sql.update("users")
                .set("client_id", to: SQLBind(tenantID)).set("role", to: SQLBind(invitation.role.rawValue)).set(
                    "updated_at", to: SQLBind(now)
                )
                .where("id", .equal, SQLBind(user.id)).where("client_id", .is, SQLLiteral.null)
                .returning(UserRecord.columns.map { SQLColumn($0) }).first()
        else { throw PlatformDBError.constraintViolation("the user joined a tenant meanwhile") }
        try await AuditLog.insert(
            on: sql, tenantID: tenantID, actor: user.id, action: "invitation.accepted", target: invitation.id,
            detail: user.email, now: now)
        return .success(try UserRecord(row: updated))
    }

    /// Whether `token` could be accepted by `email` now, without using it (checked before a
    /// signup, so a bad token does not leave an account behind at Authorizer).
    public func check(token: String, email: String, now: Date = Date()) async throws -> AcceptError? {
        try await database.transaction(settings: [(Self.tokenSetting, Self.hash(token))]) { sql in
            guard
                let row = try await sql.select().column("*").from("invitations")
                    .where("token_hash", .equal, SQLBind(Self.hash(token))).first()
            else { return .unknown }
            let invitation = try InvitationRecord(row: row)
            if invitation.acceptedAt != nil { return .used }
            if invitation.revokedAt != nil { return .revoked }
            if invitation.expiresAt <= now { return .expired }
            if invitation.email != email.lowercased() { return .otherEmail }
            let tenantID = try row.decode(column: "client_id", as: String.self)
            guard try await Self.inviterMayInvite(row, to: tenantID, on: sql) else { return .inviterLacksRights }
            return nil
        }
    }

    /// Whether the invitation's author may still invite to `tenantID`, checked when it is used: an
    /// active ADMIN of that tenant, or an active platform operator.
    static func inviterMayInvite(_ invitation: any SQLRow, to tenantID: String, on sql: any SQLDatabase) async throws
        -> Bool
    {
        guard let inviterID = try invitation.decode(column: "created_by", as: String?.self),
            let inviter = try await sql.select().columns("role", "status", "client_id").from("users")
                .where("id", .equal, SQLBind(inviterID)).first()
        else { return false }
        let role = try inviter.decode(column: "role", as: String.self)
        let status = try inviter.decode(column: "status", as: String.self)
        let tenant = try inviter.decode(column: "client_id", as: String?.self)
        guard status == UserStatus.active.rawValue else { return false }
        return role == Role.superAdmin.rawValue || (role == Role.admin.rawValue && tenant == tenantID)
    }

    /// The per-transaction setting that lets a token find its invitation under row-level security.
    static let tokenSetting = "app.invitation_token_hash"

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).lowercaseHex
    }

}
