import Foundation
import Logging
import PlatformDB
import SQLKit
import TestSupport
import Testing

/// PostgreSQL's row-level security, seen by an application role that owns no table and lacks
/// BYPASSRLS: with `app.client_id` set to A, a raw `SELECT *` returns none of B's rows.
@Suite(.enabled(if: TestPostgres.adminURL != nil)) struct RowLevelSecurityTests {
    static let logger = Logger(label: "test.rls")

    @Test func theApplicationRoleSeesOnlyItsTenantsRows() async throws {
        try await TestPostgres.shared.withDatabase(migrated: true, test: "theApplicationRoleSeesOnlyItsTenantsRows") {
            ownerURL in
            guard case .postgres(let owner) = ownerURL else { return }
            let role = "platform_app_" + Identifier.make().suffix(10)
            try await TestPostgres.admin("CREATE ROLE \(role) LOGIN NOSUPERUSER NOBYPASSRLS")
            do {
                try await Self.run(owner: owner, role: role)
            } catch {
                try? await Self.dropRole(role, owner: owner)
                throw error
            }
            try await Self.dropRole(role, owner: owner)
        }
    }

    static func dropRole(_ role: String, owner: DatabaseURL.PostgresLocation) async throws {
        try await PlatformDatabase.withOpened(.postgres(owner), logger: logger) { db in
            try await db.withConnection { try await $0.raw("DROP OWNED BY \(unsafeRaw: role)").run() }
        }
        try await TestPostgres.admin("DROP ROLE IF EXISTS \(role)")
    }

    static func run(owner: DatabaseURL.PostgresLocation, role: String) async throws {
        // As the owner: two tenants with data in every tenant table, and the grants.
        let (a, b, tokenForA, bWorkflow) = try await PlatformDatabase.withOpened(.postgres(owner), logger: logger) {
            db in
            try await db.withConnection { sql in
                try await sql.raw("GRANT USAGE ON SCHEMA public TO \(unsafeRaw: role)").run()
                try await sql.raw(
                    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \(unsafeRaw: role)"
                ).run()
            }
            let (a, b) = try await WorkflowStoreTests.tenants(db)
            for scope in [a, b] {
                _ = try await WorkflowStore(db).create(WorkflowInput(name: "wf-\(scope.tenantID)"), in: scope)
                _ = try await ReportStore(db).create(ReportInput(title: "rp-\(scope.tenantID)"), in: scope)
                _ = try await InvitationStore(db).create(
                    email: "x-\(scope.tenantID)@example.com", role: .user, in: scope)
            }
            let (_, token) = try await InvitationStore(db).create(email: "joiner@example.com", role: .user, in: a)
            _ = try await UserStore(db).create(NewUser(authorizerID: "auth-joiner", email: "joiner@example.com"))
            let bWorkflow =
                try await WorkflowStore(db).list(in: b, status: nil, nameContains: nil, limit: 1, after: nil).first?.id
                ?? ""
            return (a, b, token, bWorkflow)
        }

        var app = owner
        app.username = role
        app.password = nil
        try await PlatformDatabase.withOpened(.postgres(app), logger: logger) { db in
            for table in ["workflows", "reports", "invitations", "audit_log"] {
                let seen = try await db.transaction(settings: [(PlatformDatabase.tenantSetting, a.tenantID)]) { sql in
                    try await sql.raw("SELECT * FROM \(ident: table)").all().map {
                        try $0.decode(column: "client_id", as: String?.self)
                    }
                }
                #expect(!seen.isEmpty, "\(table): A sees its rows")
                #expect(!seen.contains(b.tenantID), "\(table): B's rows leaked to A")
                let unscoped = try await db.transaction { sql in
                    try await sql.raw("SELECT * FROM \(ident: table) WHERE client_id IS NOT NULL").all().count
                }
                #expect(unscoped == 0, "\(table): tenant rows visible with no tenant set")
            }
            // Writing into B while scoped to A is refused by the policy itself.
            await #expect(throws: (any Error).self) {
                try await db.transaction(settings: [(PlatformDatabase.tenantSetting, a.tenantID)]) { sql in
                    try await sql.raw(
                        "INSERT INTO workflows (id, client_id, name, definition) VALUES (\(bind: Identifier.make()), \(bind: b.tenantID), 'forged', '{}')"
                    ).run()
                }
            }
            // The stores work as the application role, each within its scope.
            let store = WorkflowStore(db)
            #expect(try await store.find(bWorkflow, in: a) == nil)
            // The reads outside a transaction set the policy's tenant in their own statement
            // (TenantGate): were it not set in time, the policy would admit no rows at all.
            let listed = try await store.list(in: a, status: nil, nameContains: nil, limit: 10, after: nil)
            #expect(!listed.isEmpty && listed.allSatisfy { $0.tenantID == a.tenantID })
            // That page is a prepared statement: past PostgreSQL's first five (custom) plans it
            // runs a generic one, which still admits one tenant's rows per execution.
            for _ in 0..<8 {
                for scope in [a, b] {
                    let page = try await store.list(in: scope, status: nil, nameContains: nil, limit: 10, after: nil)
                    #expect(!page.isEmpty && page.allSatisfy { $0.tenantID == scope.tenantID })
                }
            }
            #expect(try await store.find(try #require(listed.first).id, in: a)?.tenantID == a.tenantID)
            let reports = try await ReportStore(db).list(in: a, filter: ReportFilter(), limit: 10, after: nil)
            #expect(!reports.isEmpty && reports.allSatisfy { $0.tenantID == a.tenantID })
            #expect(try await ReportStore(db).find(try #require(reports.first).id, in: a) != nil)
            // The setting ends with that statement: the same connection, unscoped, sees nothing.
            let afterwards = try await db.withConnection { sql in
                _ = try await sql.select().column("*").from("workflows").whereTenant(a).all()
                return try await sql.raw("SELECT COUNT(*) AS n FROM workflows").first()?.decode(
                    column: "n", as: Int.self)
            }
            #expect(afterwards == 0)
            #expect(try await store.create(WorkflowInput(name: "as app"), in: a).tenantID == a.tenantID)
            let joiner = try #require(try await UserStore(db).find(authorizerID: "auth-joiner"))
            guard case .success(let joined) = try await InvitationStore(db).accept(token: tokenForA, for: joiner) else {
                Issue.record("accepting an invitation as the application role failed")
                return
            }
            #expect(joined.tenantID == a.tenantID)
            // A refused cross-tenant attempt is still recognised and audited as the application role.
            await CrossTenantAudit(db).recordIfForeign(.workflows, id: bWorkflow, in: a)
            await CrossTenantAudit(db).recordIfForeign(.workflows, id: Identifier.make(), in: a)
        }
        let attempts = try await PlatformDatabase.withOpened(.postgres(owner), logger: logger) { db in
            try await AuditLog(db).entries(action: "cross_tenant.refused")
        }
        // One entry in A's log (no foreign id in it) and one platform-wide; a missing id records nothing.
        #expect(attempts.count == 2)
        #expect(attempts.contains { $0.target == "workflows/\(bWorkflow)" })
        #expect(attempts.contains { $0.target == "workflows" })
    }
}
