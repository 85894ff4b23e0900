import AuthorizerClient
import Foundation
import Gateway
import HTTPTypes
import Logging
import PlatformDB
import SQLKit
import TestSupport
import Testing

/// Operator rights can be neither claimed nor lost through an email (issue 25, fault 2).
@Suite struct OperatorRightsTests {
    /// Whoever first signed up with the operator's address became SUPER_ADMIN before proving it.
    /// Now the rights come with the verification.
    @Test func operatorRightsComeOnlyWithAVerifiedEmail() async throws {
        try await GatewayHarness.with(mode: .local, emailVerification: true, superAdmins: ["ops@example.com"]) { h in
            let signup = try await h.signup("ops@example.com")
            #expect(signup.status == .accepted, "\(signup.text)")
            #expect(try await UserStore(h.database).find(email: "ops@example.com")?.role == .user, "not yet verified")
            let token = try #require(try await h.mailedToken(kind: "verify_email"))
            let verified = try await h.request(.post, "/auth/verify-email", json: ["token": token])
            #expect(verified.json["user"]["role"].string == "SUPER_ADMIN", "\(verified.text)")
            let access = try #require(verified.json["accessToken"].string)
            #expect(try await h.request(.get, "/admin/users", bearer: access).status == .ok)
        }
    }

    /// A webhook never grants operator rights by email, whatever it says of the address: its body is
    /// only as trusted as the webhook scheme. The sign-in that follows does, from Authorizer's answer.
    @Test func aWebhookGrantsNoOperatorRightsByEmail() async throws {
        try await GatewayHarness.with(mode: .local, webhooksDelivered: false, superAdmins: ["ops@example.com"]) { h in
            let answer = try await h.authorizerClient.signup(
                email: "ops@example.com", password: GatewayHarness.password, confirmPassword: GatewayHarness.password,
                givenName: nil, familyName: nil)
            let id = try #require(answer.user?.id)
            let body = Data(
                #"{"event_name":"user.signup","user":{"id":"\#(id)","email":"ops@example.com","email_verified":true,"updated_at":1}}"#
                    .utf8)
            var headers = HTTPFields()
            headers[HTTPField.Name("X-Authorizer-Signature")!] = WebhookSignature.sign(
                body, secret: h.authorizer.clientSecret)
            #expect(
                try await h.request(.post, "/webhooks/authorizer", body: body, headers: headers).status == .accepted)
            let users = UserStore(h.database)
            #expect(try await h.eventually { try await users.find(authorizerID: id) != nil })
            #expect(try await users.find(authorizerID: id)?.role == .user)
            _ = try await h.login("ops@example.com")
            #expect(try await users.find(authorizerID: id)?.role == .superAdmin)
        }
    }

    /// The documented normalisation (whitespace trimmed, ASCII letters lowercased), then bytes:
    /// no Unicode canonical equivalence, no Unicode case folding.
    @Test func operatorEmailsMatchByteForByteAfterTheDocumentedNormalisation() {
        let roles = RoleMapping(superAdmins: ["opé@example.com", "kim@example.com", "Ada@Example.com", "id-0001"])
        func role(_ email: String, verified: Bool = true, id: String = "someone") -> Role {
            roles.role(email: email, emailVerified: verified, authorizerID: id, authorizerRoles: [])
        }
        #expect(role("  ada@EXAMPLE.com ") == .superAdmin)
        #expect(role("op\u{E9}@example.com") == .superAdmin, "the same bytes")
        #expect(role("ope\u{301}@example.com") == .user, "canonically equivalent, other bytes")
        #expect(role("\u{212A}im@example.com") == .user, "KELVIN SIGN lowercases to k in Unicode, not here")
        #expect(role("ada@example.com", verified: false) == .user, "an unverified email grants nothing")
        #expect(
            role("anyone@example.com", verified: false, id: "id-0001") == .superAdmin, "a configured Authorizer id does"
        )
    }

    /// An operator who accepted an invitation became the tenant's USER, lost /admin/*, and the
    /// console refused to restore them. Now no path puts an operator in a tenant, the database
    /// refuses it too, and the console restores one.
    @Test(arguments: GatewayHarness.Backend.available)
    func anOperatorNeverJoinsATenant(_ backend: GatewayHarness.Backend) async throws {
        try await GatewayHarness.with(mode: .local, backend: backend, superAdmins: ["ops@example.com"]) { h in
            try await h.signup("boss@example.com", clientName: "Acme")
            let boss = try await h.login("boss@example.com")
            let signup = try await h.signup("ops@example.com")
            #expect(signup.json["user"]["role"].string == "SUPER_ADMIN", "\(signup.text)")
            let ops = try await h.login("ops@example.com")
            let invite = try await h.request(
                .post, "/invitations", json: ["email": "ops@example.com", "role": "ADMIN"], bearer: boss)
            let token = try #require(invite.json["token"].string, "\(invite.text)")

            let accepted = try await h.request(.post, "/invitations/accept", json: ["token": token], bearer: ops)
            #expect(accepted.status == .conflict, "\(accepted.text)")
            #expect(try await h.request(.get, "/admin/users", bearer: ops).status == .ok, "the operator keeps /admin/*")
            let me = try await h.request(.get, "/auth/me", bearer: ops)
            #expect(me.json["role"].string == "SUPER_ADMIN")
            #expect(me.json["clientId"].isNull)

            // Signing up with the operator's address and a company or invitation is refused before
            // the account is made.
            for extra: [String: Any] in [["clientName": "Mine"], ["invitationToken": token]] {
                var body: [String: Any] = [
                    "email": " OPS@example.com", "password": GatewayHarness.password,
                    "confirmPassword": GatewayHarness.password,
                ]
                body.merge(extra) { $1 }
                let refused = try await h.request(.post, "/auth/signup", json: body)
                #expect(refused.status == .conflict, "\(extra.keys): \(refused.text)")
            }

            // By construction: the database refuses an operator in a tenant, whatever the path.
            let clientID = try #require(try await UserStore(h.database).find(email: "boss@example.com")?.tenantID)
            await #expect(throws: PlatformDBError.self) {
                try await h.database.withConnection { sql in
                    try await sql.raw("UPDATE users SET client_id = \(bind: clientID) WHERE email = 'ops@example.com'")
                        .run()
                }
            }
            // Nor by demoting and placing in one statement, the way an invitation once did.
            await #expect(throws: PlatformDBError.self) {
                try await h.database.withConnection { sql in
                    try await sql.raw(
                        "UPDATE users SET client_id = \(bind: clientID), role = 'USER' WHERE email = 'ops@example.com'"
                    ).run()
                }
            }
        }
    }

    /// The console restores an operator whom the old code had made a tenant's USER, keeping the
    /// tenant's last active ADMIN, and audits it.
    @Test func theConsoleRestoresAnOperator() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ops-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = "sqlite://\(folder.path)/platform.sqlite"
        try OperatorCLITests.platform(["migrate", "--database-url", url])
        let logger = Logger(label: "test.operators")
        let clientID = try await PlatformDatabase.withOpened(try DatabaseURL(url), logger: logger) { db in
            let users = UserStore(db)
            let boss = try await users.upsertFromAuthorizer(
                .init(
                    authorizerID: "az-boss", email: "boss@example.com", firstName: nil, lastName: nil, status: .active))
            _ = try await users.upsertFromAuthorizer(
                .init(authorizerID: "az-ops", email: "ops@example.com", firstName: nil, lastName: nil, status: .active))
            let owner = try await TenantStore(db).createTenant(name: "Acme", ownerAuthorizerID: boss.authorizerID)
            // The state the old code left: the operator is a USER of the tenant.
            try await db.withConnection { sql in
                try await sql.raw(
                    "UPDATE users SET client_id = \(bind: owner.tenantID!), role = 'USER' WHERE authorizer_id = 'az-ops'"
                ).run()
            }
            return owner.tenantID!
        }
        let refusedForBoss = try OperatorCLITests.platform(
            ["users", "set-role", "boss@example.com", "SUPER_ADMIN", "--database-url", url], expect: 1)
        #expect(refusedForBoss.contains("last active ADMIN"), "\(refusedForBoss)")
        let restored = try OperatorCLITests.platform([
            "users", "set-role", "ops@example.com", "SUPER_ADMIN", "--database-url", url,
        ])
        #expect(restored.contains("SUPER_ADMIN"), "\(restored)")
        try await PlatformDatabase.withOpened(try DatabaseURL(url), logger: logger) { db in
            let ops = try await UserStore(db).find(authorizerID: "az-ops")
            #expect(ops?.role == .superAdmin)
            #expect(ops?.tenantID == nil)
            let actions = try await db.withConnection { sql in
                try await sql.raw("SELECT action FROM audit_log WHERE client_id = \(bind: clientID)").all()
                    .map { try $0.decode(column: "action", as: String.self) }
            }
            #expect(actions.contains("user.made_operator"), "\(actions)")
        }
        // A user in no tenant: the change is in the platform's log.
        try await PlatformDatabase.withOpened(try DatabaseURL(url), logger: logger) { db in
            _ = try await UserStore(db).upsertFromAuthorizer(
                .init(
                    authorizerID: "az-loner", email: "loner@example.com", firstName: nil, lastName: nil, status: .active
                ))
        }
        try OperatorCLITests.platform(["users", "set-role", "loner@example.com", "SUPER_ADMIN", "--database-url", url])
        try OperatorCLITests.platform(["users", "suspend", "loner@example.com", "--database-url", url])
        try await PlatformDatabase.withOpened(try DatabaseURL(url), logger: logger) { db in
            let loner = try #require(try await UserStore(db).find(authorizerID: "az-loner"))
            let audit = AuditLog(db)
            #expect(
                try await audit.entries(action: "user.made_operator").contains {
                    $0.target == loner.id && $0.actor.hasPrefix("cli:")
                })
            #expect(try await audit.entries(action: "user.changed").contains { $0.target == loner.id })
        }
    }
}
