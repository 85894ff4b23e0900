import AuthorizerClient
import Foundation
import Gateway
import PlatformDB
import Testing

@Suite struct ReconcileTests {
    /// Users made at Authorizer directly (no webhook reaches the platform): `<prefix><n>@example.com`,
    /// given name `<name><n>`; their Authorizer ids in order.
    static func signUpAtAuthorizer(_ h: GatewayHarness, count: Int, prefix: String, name: String) async throws
        -> [String]
    {
        var ids: [String] = []
        for index in 0..<count {
            let answer = try await h.authorizerClient.signup(
                email: "\(prefix)\(index)@example.com", password: GatewayHarness.password,
                confirmPassword: GatewayHarness.password, givenName: "\(name)\(index)", familyName: nil)
            ids.append(try #require(answer.user?.id))
        }
        return ids
    }

    /// Users made at Authorizer while the receiver was down appear after one reconcile; a second
    /// run finds no drift; a user deleted at Authorizer is marked DELETED.
    @Test func reconcileCatchesUpAndASecondRunFindsNoDrift() async throws {
        try await GatewayHarness.with(mode: .local, webhooksDelivered: false, superAdmins: ["ops@example.com"]) { h in
            let operatorSignup = try await h.signup("ops@example.com")
            #expect(operatorSignup.json["user"]["role"].string == "SUPER_ADMIN")
            let opsToken = try await h.login("ops@example.com")
            let ids = try await Self.signUpAtAuthorizer(h, count: 5, prefix: "missed", name: "M")
            #expect(try await UserStore(h.database).find(authorizerID: ids[0]) == nil, "no webhook was delivered")

            let dry = try await h.request(.post, "/admin/reconcile", json: ["dryRun": true], bearer: opsToken)
            #expect(dry.status == .ok, "\(dry.text)")
            #expect(dry.json["created"].int == 5)
            #expect(try await UserStore(h.database).find(authorizerID: ids[0]) == nil, "a dry run changes nothing")

            let run = try await h.request(.post, "/admin/reconcile", json: [:], bearer: opsToken)
            #expect(run.json["created"].int == 5)
            #expect(try await UserStore(h.database).find(authorizerID: ids[3])?.firstName == "M3")

            let again = try await h.request(.post, "/admin/reconcile", json: [:], bearer: opsToken)
            #expect(again.json["created"].int == 0)
            #expect(again.json["updated"].int == 0)
            #expect(again.json["deleted"].int == 0)
            #expect(again.json["unchanged"].int == 6)

            try await h.authorizerAdmin(
                "mutation ($p: DeleteUserRequest!) { _delete_user(params: $p) { message } }",
                variables: ["p": ["id": ids[1]]])
            let afterDelete = try await h.request(.post, "/admin/reconcile", json: [:], bearer: opsToken)
            #expect(afterDelete.json["deleted"].int == 1)
            #expect(try await UserStore(h.database).find(authorizerID: ids[1])?.status == .deleted)
        }
    }

    /// Pages smaller than the listing: each page is fetched while the previous one is written,
    /// and every user is reconciled once, with nothing lost between pages.
    @Test func reconcileAcrossManyPages() async throws {
        try await GatewayHarness.with(mode: .local, webhooksDelivered: false) { h in
            let ids = try await Self.signUpAtAuthorizer(h, count: 7, prefix: "paged", name: "P")
            let stray = try await UserStore(h.database).upsertFromAuthorizer(
                .init(
                    authorizerID: "gone-from-authorizer", email: "gone@example.com", firstName: nil, lastName: nil,
                    status: .active))
            let reconciler = Reconciler(
                client: h.authorizerClient, database: h.database, pageSize: 2, logger: GatewayHarness.logger)
            let first = try await reconciler.run(dryRun: false)
            #expect(first.created == 7)
            #expect(first.deleted == 1)
            for (index, id) in ids.enumerated() {
                #expect(try await UserStore(h.database).find(authorizerID: id)?.firstName == "P\(index)")
            }
            #expect(try await UserStore(h.database).find(authorizerID: stray.authorizerID)?.status == .deleted)
            let second = try await reconciler.run(dryRun: false)
            #expect(second.drift == 0)
            #expect(second.unchanged == 7)
        }
    }

    /// An email moving within one page, from a user the platform had deleted to a new user:
    /// both end up right (the page's multi-row upsert gives way to one at a time).
    @Test func anEmailMovingBetweenUsersOfOnePage() async throws {
        try await GatewayHarness.with(mode: .local, webhooksDelivered: false) { h in
            let returning = try #require(
                try await h.authorizerClient.signup(
                    email: "now@example.com", password: GatewayHarness.password,
                    confirmPassword: GatewayHarness.password,
                    givenName: "R", familyName: nil
                ).user?.id)
            let reconciler = Reconciler(client: h.authorizerClient, database: h.database, logger: GatewayHarness.logger)
            _ = try await reconciler.run(dryRun: false)
            // The platform knew this user under another address, and as deleted.
            try await h.database.withConnection { sql in
                try await sql.raw(
                    "UPDATE users SET email = 'taken@example.com', status = 'DELETED' WHERE authorizer_id = \(bind: returning)"
                ).run()
            }
            let newcomer = try #require(
                try await h.authorizerClient.signup(
                    email: "taken@example.com", password: GatewayHarness.password,
                    confirmPassword: GatewayHarness.password,
                    givenName: "N", familyName: nil
                ).user?.id)
            let report = try await reconciler.run(dryRun: false)
            #expect(report.created == 1)
            #expect(report.updated == 1)
            let users = UserStore(h.database)
            #expect(try await users.find(authorizerID: newcomer)?.email == "taken@example.com")
            let back = try await users.find(authorizerID: returning)
            #expect(back?.email == "now@example.com")
            #expect(back?.status != .deleted)
            #expect(try await reconciler.run(dryRun: false).drift == 0)
        }
    }

    @Test func adminRoutesAreForSuperAdminsOnly() async throws {
        try await GatewayHarness.with(mode: .local, superAdmins: ["root@example.com"]) { h in
            try await h.signup("plain@example.com", clientName: "Plain")
            let plain = try await h.login("plain@example.com")
            let refused = try await h.request(.get, "/admin/webhook-events", bearer: plain)
            #expect(refused.status == .forbidden)
            #expect(refused.json["type"].string?.hasSuffix("/super-admin-only") == true)

            try await h.signup("root@example.com")
            let root = try await h.login("root@example.com")
            let listed = try await h.request(.get, "/admin/webhook-events?status=applied", bearer: root)
            #expect(listed.status == .ok, "\(listed.text)")
            #expect(try await h.request(.get, "/admin/webhook-events?status=bogus", bearer: root).status == .badRequest)
            let missing = try await h.request(
                .post, "/admin/webhook-events/c0000000000000000000000000/replay", bearer: root)
            #expect(missing.status == .notFound)
            let malformed = try await h.request(.post, "/admin/webhook-events/x'--/replay", bearer: root)
            #expect(malformed.status == .badRequest)

            // Operators list, create and suspend tenants, and see users across tenants.
            let created = try await h.request(.post, "/admin/clients", json: ["name": "Ops-made"], bearer: root)
            #expect(created.status == .created, "\(created.text)")
            let clients = try await h.request(.get, "/admin/clients", bearer: root)
            #expect(clients.text.contains("Ops-made") && clients.text.contains("Plain"))
            #expect(try await h.request(.get, "/admin/users", bearer: root).text.contains("plain@example.com"))
            let plainClient = try #require(
                try await h.request(.get, "/clients/current", bearer: plain).json["id"].string)
            let suspended = try await h.request(
                .patch, "/admin/clients/\(plainClient)", json: ["status": "SUSPENDED"], bearer: root)
            #expect(suspended.json["status"].string == "SUSPENDED")
            let blocked = try await h.request(.get, "/workflows", bearer: plain)
            #expect(blocked.status == .forbidden)
            #expect(blocked.json["type"].string?.hasSuffix("/tenant-suspended") == true)
            #expect(try await h.request(.get, "/admin/clients", bearer: plain).status == .forbidden)
            #expect(
                try await h.request(.get, "/workflows", bearer: root).status == .forbidden,
                "no implicit cross-tenant access")
        }
    }
}
