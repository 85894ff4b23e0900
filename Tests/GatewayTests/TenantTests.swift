import Foundation
import Gateway
import PlatformDB
import Testing

@Suite struct TenantTests {
    @Test func onboardingRenameMembersAndTheLastAdminRule() async throws {
        try await GatewayHarness.with(mode: .local) { h in
            try await h.signup("owner@example.com")
            let owner = try await h.login("owner@example.com")
            #expect(try await h.request(.get, "/clients/current", bearer: owner).status == .forbidden)
            let created = try await h.request(.post, "/clients", json: ["name": "Acme"], bearer: owner)
            #expect(created.status == .created, "\(created.text)")
            #expect(try await h.request(.post, "/clients", json: ["name": "Again"], bearer: owner).status == .conflict)
            #expect(try await h.request(.get, "/auth/me", bearer: owner).json["role"].string == "ADMIN")
            let renamed = try await h.request(.patch, "/clients/current", json: ["name": "Acme Inc"], bearer: owner)
            #expect(renamed.json["name"].string == "Acme Inc")

            // A second member, as USER (invitations arrive later; set directly).
            let second = try await h.signup("second@example.com")
            let secondID = try #require(second.json["user"]["id"].string)
            let clientID = try #require(created.json["id"].string)
            try await h.database.withConnection { sql in
                try await sql.raw("UPDATE users SET client_id = \(bind: clientID) WHERE id = \(bind: secondID)").run()
            }
            let member = try await h.login("second@example.com")
            for (method, path) in [("GET", "/users"), ("GET", "/audit-log"), ("PATCH", "/clients/current")] {
                let reply = try await h.request(
                    .init(method)!, path, json: method == "PATCH" ? ["name": "x"] : nil, bearer: member)
                #expect(reply.status == .forbidden, "USER \(method) \(path): \(reply.status)")
            }

            let users = try await h.request(.get, "/users", bearer: owner)
            #expect((users.json["items"].value as? [Any])?.count == 2)
            let me = try #require(try await h.request(.get, "/auth/me", bearer: owner).json["id"].string)
            let demoteSelf = try await h.request(.patch, "/users/\(me)", json: ["role": "USER"], bearer: owner)
            #expect(demoteSelf.status == .conflict)
            #expect(demoteSelf.json["type"].string?.hasSuffix("/last-admin") == true)
            #expect(
                try await h.request(.patch, "/users/\(me)", json: ["status": "SUSPENDED"], bearer: owner).status
                    == .conflict)

            let promote = try await h.request(.patch, "/users/\(secondID)", json: ["role": "ADMIN"], bearer: owner)
            #expect(promote.json["role"].string == "ADMIN")
            #expect(try await h.request(.patch, "/users/\(me)", json: ["role": "USER"], bearer: owner).status == .ok)
            #expect(
                try await h.request(.patch, "/users/\(secondID)", json: ["role": "SUPER_ADMIN"], bearer: member).status
                    == .badRequest)
            let suspend = try await h.request(.patch, "/users/\(me)", json: ["status": "SUSPENDED"], bearer: member)
            #expect(suspend.json["status"].string == "SUSPENDED")
            #expect(
                try await h.request(.get, "/auth/me", bearer: owner).status == .forbidden,
                "a suspended user is refused at once")

            let audit = try await h.request(.get, "/audit-log", bearer: member)
            let actions = ((audit.json["items"].value as? [[String: Any]]) ?? []).compactMap { $0["action"] as? String }
            #expect(actions.filter { $0 == "user.changed" }.count == 3)
            #expect(actions.contains("tenant.renamed"))
        }
    }

    @Test func anotherTenantsUsersAreNotFound() async throws {
        try await GatewayHarness.with(mode: .local) { h in
            try await h.signup("a@example.com", clientName: "A")
            let b = try await h.signup("b@example.com", clientName: "B")
            let bID = try #require(b.json["user"]["id"].string)
            let a = try await h.login("a@example.com")
            let read = try await h.request(.get, "/users/\(bID)", bearer: a)
            #expect(read.status == .notFound)
            let change = try await h.request(.patch, "/users/\(bID)", json: ["status": "SUSPENDED"], bearer: a)
            #expect(change.status == .notFound)
            #expect(!(try await h.request(.get, "/users", bearer: a).text.contains(bID)))
        }
    }
}
