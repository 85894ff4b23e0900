import AuthorizerClient
import Foundation
import Gateway
import Logging
import PlatformDB
import SQLKit
import Testing

/// Authorizer owns email uniqueness and sends no event when a user changes their email, so the
/// platform's copy can be stale (issue 18, faults 3 and 4). Against the local Authorizer over real
/// HTTP, on both databases.
@Suite struct EmailCollisionTests {
    /// Changes a user's email at Authorizer directly, as the user would in its own UI.
    static func changeEmail(_ h: GatewayHarness, id: String, to email: String) async throws {
        try await h.authorizerAdmin(
            "mutation ($p: UpdateUserRequest!) { _update_user(params: $p) { id } }",
            variables: ["p": ["id": id, "email": email]])
    }

    static func authorizerID(_ reply: GatewayHarness.Reply) throws -> String {
        try #require(reply.json["user"]["authorizerId"].string, "\(reply.text)")
    }

    /// Fault 3: A gives up a@ at Authorizer; B signs up with a@ through the gateway. It was a 409
    /// with B's company lost; now A's row takes A's new address (confirmed with `_user`) and B's
    /// signup completes with its tenant.
    @Test(arguments: GatewayHarness.Backend.available)
    func anEmailGivenUpAtAuthorizerCanBeSignedUpWithAgainWithItsCompany(_ backend: GatewayHarness.Backend) async throws
    {
        try await GatewayHarness.with(mode: .local, backend: backend) { h in
            let a = try Self.authorizerID(try await h.signup("a@example.com", clientName: "A Co"))
            try await Self.changeEmail(h, id: a, to: "a.new@example.com")

            let b = try await h.signup("a@example.com", clientName: "B Co")
            #expect(b.status == .created, "\(b.text)")
            #expect(b.json["user"]["role"].string == "ADMIN")
            let bToken = try await h.login("a@example.com")
            let bTenant = try await h.request(.get, "/clients/current", bearer: bToken)
            #expect(bTenant.json["name"].string == "B Co", "\(bTenant.text)")

            let aRow = try await UserStore(h.database).find(authorizerID: a)
            #expect(aRow?.email == "a.new@example.com", "A's row took the address Authorizer has for A now")
            let aToken = try await h.login("a.new@example.com")
            #expect(try await h.request(.get, "/clients/current", bearer: aToken).json["name"].string == "A Co")
        }
    }

    /// The holder is gone at Authorizer (and no webhook said so): its row is marked DELETED. Without
    /// the admin secret nobody can ask, and the holder is released until it is heard of again.
    @Test(arguments: GatewayHarness.Backend.available)
    func aHolderGoneFromAuthorizerIsDeletedAndAnUnconfirmedOneIsReleased(_ backend: GatewayHarness.Backend) async throws
    {
        try await GatewayHarness.with(mode: .local, backend: backend, webhooksDelivered: false) { h in
            let gone = try Self.authorizerID(try await h.signup("gone@example.com", clientName: "Gone Co"))
            try await h.authorizerAdmin(
                "mutation ($p: DeleteUserRequest!) { _delete_user(params: $p) { message } }",
                variables: ["p": ["id": gone]])
            let again = try await h.signup("gone@example.com", clientName: "New Co")
            #expect(again.status == .created, "\(again.text)")
            #expect(try await UserStore(h.database).find(authorizerID: gone)?.status == .deleted)
        }
        try await GatewayHarness.with(
            mode: .local, backend: backend, webhooksDelivered: false, configure: { $0.authorizer?.adminSecret = nil }
        ) { h in
            let a = try Self.authorizerID(try await h.signup("a@example.com", clientName: "A Co"))
            try await Self.changeEmail(h, id: a, to: "a.new@example.com")
            let b = try await h.signup("a@example.com", clientName: "B Co")
            #expect(b.status == .created, "\(b.text)")
            let released = try await UserStore(h.database).find(authorizerID: a)
            #expect(released?.email.hasPrefix("released:") == true, "\(released?.email ?? "")")
            // A's next sign-in brings A's address back.
            _ = try await h.login("a.new@example.com")
            #expect(try await UserStore(h.database).find(authorizerID: a)?.email == "a.new@example.com")
        }
    }

    /// The same collision through the webhook: B signs up at Authorizer itself, and its
    /// `user.signup` is applied once A's stale row is freed; nothing is parked.
    @Test(arguments: GatewayHarness.Backend.available)
    func aWebhookForATakenEmailIsAppliedOnceTheStaleRowIsFreed(_ backend: GatewayHarness.Backend) async throws {
        try await GatewayHarness.with(mode: .local, backend: backend) { h in
            let a = try Self.authorizerID(try await h.signup("a@example.com", clientName: "A Co"))
            try await Self.changeEmail(h, id: a, to: "a.new@example.com")
            let answer = try await h.authorizerClient.signup(
                email: "a@example.com", password: GatewayHarness.password, confirmPassword: GatewayHarness.password,
                givenName: "Bea", familyName: nil)
            let b = try #require(answer.user?.id)
            let users = UserStore(h.database)
            #expect(try await h.eventually { try await users.find(authorizerID: b)?.email == "a@example.com" })
            #expect(try await users.find(authorizerID: a)?.email == "a.new@example.com")
            #expect(try await WebhookInbox(h.database).events(status: "FAILED").isEmpty)
        }
    }

    /// Fault 4: two users swap emails at Authorizer, and three pass theirs round (A→B→C→A). Every
    /// reconcile answered 409 and logins too; now one reconcile applies them, a second finds no
    /// drift, and everyone signs in with their new address.
    @Test(arguments: GatewayHarness.Backend.available)
    func reconcileAppliesSwapsAndChains(_ backend: GatewayHarness.Backend) async throws {
        try await GatewayHarness.with(
            mode: .local, backend: backend, webhooksDelivered: false, superAdmins: ["ops@example.com"]
        ) { h in
            try await h.signup("ops@example.com")
            let ops = try await h.login("ops@example.com")
            var ids: [String: String] = [:]
            for name in ["a", "b", "c", "d", "e"] {
                ids[name] = try Self.authorizerID(try await h.signup("\(name)@example.com"))
            }
            // Swap a and b; chain c→d→e→c (through temporary addresses, as Authorizer needs).
            try await Self.changeEmail(h, id: ids["a"]!, to: "tmp-a@example.com")
            try await Self.changeEmail(h, id: ids["b"]!, to: "a@example.com")
            try await Self.changeEmail(h, id: ids["a"]!, to: "b@example.com")
            try await Self.changeEmail(h, id: ids["c"]!, to: "tmp-c@example.com")
            try await Self.changeEmail(h, id: ids["e"]!, to: "c@example.com")
            try await Self.changeEmail(h, id: ids["d"]!, to: "e@example.com")
            try await Self.changeEmail(h, id: ids["c"]!, to: "d@example.com")

            let run = try await h.request(.post, "/admin/reconcile", json: [:], bearer: ops)
            #expect(run.status == .ok, "\(run.text)")
            #expect(run.json["updated"].int == 5, "\(run.text)")
            #expect((run.json["skipped"].value as? [Any])?.isEmpty == true, "\(run.text)")
            let users = UserStore(h.database)
            for (name, email) in [("a", "b"), ("b", "a"), ("c", "d"), ("d", "e"), ("e", "c")] {
                #expect(try await users.find(authorizerID: ids[name]!)?.email == "\(email)@example.com", "\(name)")
            }
            let again = try await h.request(.post, "/admin/reconcile", json: [:], bearer: ops)
            #expect(again.json["updated"].int == 0, "\(again.text)")
            for email in ["a", "b", "c", "d", "e"] { _ = try await h.login("\(email)@example.com") }
        }
    }

    /// A swap across pages (one user per page) and straight through logins, with no reconcile.
    @Test(arguments: GatewayHarness.Backend.available)
    func swapsAcrossPagesAndThroughLogins(_ backend: GatewayHarness.Backend) async throws {
        try await GatewayHarness.with(mode: .local, backend: backend, webhooksDelivered: false) { h in
            let a = try Self.authorizerID(try await h.signup("a@example.com"))
            let b = try Self.authorizerID(try await h.signup("b@example.com"))
            try await Self.changeEmail(h, id: a, to: "tmp@example.com")
            try await Self.changeEmail(h, id: b, to: "a@example.com")
            try await Self.changeEmail(h, id: a, to: "b@example.com")
            // Logins first: each frees its address from the other's stale row.
            _ = try await h.login("b@example.com")
            _ = try await h.login("a@example.com")
            let users = UserStore(h.database)
            #expect(try await users.find(authorizerID: a)?.email == "b@example.com")
            #expect(try await users.find(authorizerID: b)?.email == "a@example.com")
            // And back, with a reconcile one user per page.
            try await Self.changeEmail(h, id: a, to: "tmp@example.com")
            try await Self.changeEmail(h, id: b, to: "b@example.com")
            try await Self.changeEmail(h, id: a, to: "a@example.com")
            let reconciler = Reconciler(
                client: h.authorizerClient, database: h.database, pageSize: 1, logger: GatewayHarness.logger)
            let report = try await reconciler.run(dryRun: false)
            #expect(report.updated == 2, "\(report)")
            #expect(report.skipped.isEmpty, "\(report)")
            #expect(try await users.find(authorizerID: a)?.email == "a@example.com")
            #expect(try await users.find(authorizerID: b)?.email == "b@example.com")
        }
    }

    /// One row that cannot be written is reported and skipped; the rest of the drift, deletions
    /// included, is applied.
    @Test(arguments: GatewayHarness.Backend.available)
    func reconcileSkipsARowItCannotApplyAndAppliesTheRest(_ backend: GatewayHarness.Backend) async throws {
        try await GatewayHarness.with(mode: .local, backend: backend, webhooksDelivered: false) { h in
            let x = try Self.authorizerID(try await h.signup("x@example.com"))
            let y = try Self.authorizerID(try await h.signup("y@example.com"))
            let z = try Self.authorizerID(try await h.signup("z@example.com"))
            // The database refuses one address, as a constraint it has would.
            try await h.database.withConnection { sql in
                if h.database.dialect == .postgres {
                    try await sql.raw("ALTER TABLE users ADD CONSTRAINT no_blocked CHECK (email NOT LIKE 'blocked%')")
                        .run()
                } else {
                    try await sql.raw(
                        """
                        CREATE TRIGGER no_blocked BEFORE UPDATE ON users WHEN NEW.email LIKE 'blocked%'
                        BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: no_blocked'); END
                        """
                    ).run()
                }
            }
            try await Self.changeEmail(h, id: y, to: "blocked@example.com")
            try await h.authorizerAdmin(
                "mutation ($p: UpdateUserRequest!) { _update_user(params: $p) { id } }",
                variables: ["p": ["id": x, "given_name": "Xena"]])
            try await h.authorizerAdmin(
                "mutation ($p: DeleteUserRequest!) { _delete_user(params: $p) { message } }",
                variables: ["p": ["id": z]])

            let report = try await Reconciler(
                client: h.authorizerClient, database: h.database, logger: GatewayHarness.logger
            )
            .run(dryRun: false)
            #expect(report.skipped.map(\.authorizerId) == [y], "\(report)")
            #expect(report.updated == 1, "\(report)")
            #expect(report.deleted == 1, "\(report)")
            #expect(report.description.contains("skipped 1 (\(y)"), "\(report)")
            let users = UserStore(h.database)
            #expect(try await users.find(authorizerID: x)?.firstName == "Xena")
            #expect(try await users.find(authorizerID: y)?.email == "y@example.com")
            #expect(try await users.find(authorizerID: z)?.status == .deleted)
        }
    }
}
