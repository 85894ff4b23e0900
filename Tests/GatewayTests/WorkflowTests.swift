import Foundation
import Gateway
import PlatformDB
import Testing

@Suite struct WorkflowTests {
    static var definition: [String: Any] {
        ["trigger": ["type": "schedule", "cron": "0 * * * *"], "steps": [["type": "http"], ["type": "email"]]]
    }

    @Test func adminsManageUsersReadAndOtherTenantsSeeNothing() async throws {
        try await GatewayHarness.with(mode: .local) { h in
            try await h.signup("admin-a@example.com", clientName: "Tenant A")
            let adminA = try await h.login("admin-a@example.com")
            try await h.signup("admin-b@example.com", clientName: "Tenant B")
            let adminB = try await h.login("admin-b@example.com")
            // A USER in tenant A (invitations arrive with the multi-tenant work; set here directly).
            let member = try await h.signup("user-a@example.com")
            let clientA = try await UserStore(h.database).find(
                authorizerID: try #require(
                    try await h.request(.get, "/auth/me", bearer: adminA).json["authorizerId"].string))?.tenantID
            try await h.database.withConnection { sql in
                try await sql.raw(
                    "UPDATE users SET client_id = \(bind: clientA), role = 'USER' WHERE authorizer_id = \(bind: member.json["user"]["authorizerId"].string ?? "")"
                ).run()
            }
            let userA = try await h.login("user-a@example.com")

            let created = try await h.request(
                .post, "/workflows", json: ["name": "Nightly", "definition": Self.definition], bearer: adminA)
            #expect(created.status == .created, "\(created.text)")
            #expect(created.headers[.eTag] == "\"1\"")
            #expect(created.json["status"].string == "DRAFT")
            let id = try #require(created.json["id"].string)

            #expect(try await h.request(.get, "/workflows/\(id)", bearer: userA).status == .ok)
            #expect(try await h.request(.get, "/workflows", bearer: userA).json["items"].isNull == false)
            let userWrite = try await h.request(
                .post, "/workflows", json: ["name": "x", "definition": Self.definition], bearer: userA)
            #expect(userWrite.status == .forbidden)

            let patched = try await h.request(
                .patch, "/workflows/\(id)", json: ["status": "ACTIVE"], bearer: adminA, ifMatch: "\"1\"")
            #expect(patched.status == .ok, "\(patched.text)")
            #expect(patched.headers[.eTag] == "\"2\"")
            let stale = try await h.request(
                .patch, "/workflows/\(id)", json: ["name": "late"], bearer: adminA, ifMatch: "\"1\"")
            #expect(stale.status == .preconditionFailed)

            for (method, json) in [("GET", nil), ("PATCH", ["name": "stolen"]), ("DELETE", nil)]
                as [(String, [String: Any]?)]
            {
                let reply = try await h.request(.init(method)!, "/workflows/\(id)", json: json, bearer: adminB)
                #expect(reply.status == .notFound, "\(method) from another tenant: \(reply.status)")
                #expect(!reply.text.contains("Nightly"))
            }
            let listB = try await h.request(.get, "/workflows", bearer: adminB)
            #expect(!listB.text.contains(id))

            #expect(
                try await h.request(.delete, "/workflows/\(id)", bearer: adminA, ifMatch: "\"2\"").status == .noContent)
            #expect(try await h.request(.get, "/workflows/\(id)", bearer: adminA).status == .notFound)
        }
    }

    @Test func aUserWithoutATenantIsToldSo() async throws {
        try await GatewayHarness.with(mode: .local) { h in
            try await h.signup("lonely@example.com")
            let token = try await h.login("lonely@example.com")
            let reply = try await h.request(.get, "/workflows", bearer: token)
            #expect(reply.status == .forbidden)
            #expect(reply.json["type"].string?.hasSuffix("/no-tenant") == true)
        }
    }

    @Test func badInputIsA4xxNamingTheField() async throws {
        try await GatewayHarness.with(mode: .local) { h in
            try await h.signup("v@example.com", clientName: "V")
            let token = try await h.login("v@example.com")
            let cases: [([String: Any], String)] = [
                (["name": "x", "definition": Self.definition, "owner": "me"], "owner"),
                (["name": String(repeating: "n", count: 201), "definition": Self.definition], "name"),
                (["name": 5, "definition": Self.definition], "name"),
                (["name": "x", "status": "RUNNING", "definition": Self.definition], "status"),
                (["name": "x"], "definition"),
                (["name": "x", "definition": ["steps": []]], "definition.trigger"),
                (
                    ["name": "x", "definition": ["trigger": ["type": "t"], "steps": [["type": "a"], ["kind": "b"]]]],
                    "definition.steps[1].type"
                ),
                (["name": "x", "definition": [1, 2]], "definition"),
            ]
            for (body, field) in cases {
                let reply = try await h.request(.post, "/workflows", json: body, bearer: token)
                #expect(reply.status == .badRequest, "\(field): \(reply.status) \(reply.text)")
                #expect(reply.json["field"].string == field, "\(reply.text)")
            }
            let huge: [String: Any] = [
                "name": "x",
                "definition": ["trigger": ["type": "t"], "steps": [], "pad": String(repeating: "p", count: 300_000)],
            ]
            #expect(try await h.request(.post, "/workflows", json: huge, bearer: token).status == .contentTooLarge)
            for (query, field) in [
                ("limit=0", "limit"), ("limit=101", "limit"), ("cursor=%%%", "cursor"), ("cursor=bm9wZQ", "cursor"),
                ("status=RUNNING", "status"),
            ] {
                let reply = try await h.request(.get, "/workflows?\(query)", bearer: token)
                #expect(reply.status == .badRequest, "\(query): \(reply.status)")
                #expect(reply.json["field"].string == field)
            }
            let wrongID = try await h.request(.get, "/workflows/not-an-id", bearer: token)
            #expect(wrongID.status == .badRequest)
            let badIfMatch = try await h.request(
                .patch, "/workflows/c0000000000000000000000000", json: ["name": "y"], bearer: token, ifMatch: "W/abc")
            #expect(badIfMatch.status == .badRequest)
        }
    }

    @Test func pagesFollowTheOpaqueCursor() async throws {
        try await GatewayHarness.with(mode: .local) { h in
            try await h.signup("p@example.com", clientName: "P")
            let token = try await h.login("p@example.com")
            for index in 0..<7 {
                _ = try await h.request(
                    .post, "/workflows", json: ["name": "W\(index)", "definition": Self.definition], bearer: token)
            }
            var names: [String] = []
            var cursor: String?
            repeat {
                let reply = try await h.request(
                    .get, "/workflows?limit=3" + (cursor.map { "&cursor=\($0)" } ?? ""), bearer: token)
                names += ((reply.json["items"].value as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
                cursor = reply.json["nextCursor"].string
            } while cursor != nil
            #expect(names.count == 7)
            #expect(Set(names).count == 7)
            let search = try await h.request(.get, "/workflows?search=w3", bearer: token)
            #expect((search.json["items"].value as? [Any])?.count == 1)
        }
    }
}
