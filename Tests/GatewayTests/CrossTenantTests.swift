import Foundation
import Gateway
import PlatformDB
import Testing

/// Calls every tenant route, discovered from the router, as each role of tenant A with tenant B's
/// ids. A new route cannot escape: one this harness cannot map fails the test.
@Suite struct CrossTenantTests {
    @Test func noRouteRevealsAnotherTenant() async throws {
        try await GatewayHarness.with(mode: .local) { h in
            // Two tenants, each with an ADMIN and a USER, and data.
            var tokens: [String: String] = [:]
            var userIDs: [String: String] = [:]
            for tenant in ["a", "b"] {
                let admin = try await h.signup(
                    "admin-\(tenant)@example.com", clientName: "Tenant \(tenant.uppercased()) Secret Name")
                let clientID = try #require(admin.json["user"]["clientId"].string)
                let member = try await h.signup("user-\(tenant)@example.com")
                let memberID = try #require(member.json["user"]["id"].string)
                try await h.database.withConnection { sql in
                    try await sql.raw("UPDATE users SET client_id = \(bind: clientID) WHERE id = \(bind: memberID)")
                        .run()
                }
                tokens["admin-\(tenant)"] = try await h.login("admin-\(tenant)@example.com")
                tokens["user-\(tenant)"] = try await h.login("user-\(tenant)@example.com")
                userIDs[tenant] = memberID
            }
            let adminB = try #require(tokens["admin-b"])
            let bWorkflow = try #require(
                try await h.request(
                    .post, "/workflows", json: ["name": "B secret workflow", "definition": WorkflowTests.definition],
                    bearer: adminB
                ).json["id"].string)
            let bReport = try #require(
                try await h.request(
                    .post, "/reports", json: ["title": "B secret report", "workflowId": bWorkflow], bearer: adminB
                ).json["id"].string)
            let bInvitation = try #require(
                try await h.request(
                    .post, "/invitations", json: ["email": "b-invitee@example.com"], bearer: adminB
                ).json["id"].string)
            let bUser = try #require(userIDs["b"])
            let bClient = try #require(try await h.request(.get, "/clients/current", bearer: adminB).json["id"].string)
            let secrets = [
                bWorkflow, bReport, bInvitation, bUser, bClient, "B secret workflow", "B secret report",
                "Tenant B Secret Name", "b-invitee@example.com", "user-b@example.com",
            ]

            let bIDs = [
                "workflows": bWorkflow, "reports": bReport, "users": bUser, "invitations": bInvitation,
                "admin": "c0000000000000000000000000",
            ]
            let bodies: [String: [String: Any]] = [
                "workflows": ["name": "x"], "reports": ["title": "x"], "users": ["status": "ACTIVE"],
                "invitations": [:], "admin": [:],
            ]
            let routes = h.catalog.routes
            #expect(routes.count > 20, "\(routes.map { "\($0.method) \($0.path)" })")
            var checked = 0
            // `/app/{file}` serves the web app's static files: no tenant data behind it.
            for route in routes where route.path.contains("{") && route.path != "/app/{file}" {
                let resource = route.path.split(separator: "/").first.map(String.init) ?? ""
                guard let bID = bIDs[resource] else {
                    Issue.record("route \(route.method) \(route.path) is not covered by the cross-tenant harness")
                    continue
                }
                let path = route.path.replacingOccurrences(of: "{id}", with: bID)
                for role in ["admin-a", "user-a"] {
                    let json = ["POST", "PATCH", "PUT"].contains(route.method) ? bodies[resource] : nil
                    let reply = try await h.request(.init(route.method)!, path, json: json, bearer: tokens[role])
                    #expect(
                        [403, 404].contains(reply.status.code),
                        "\(role) \(route.method) \(path): \(reply.status) \(reply.text)")
                    for secret in secrets {
                        #expect(
                            !reply.text.contains(secret), "\(role) \(route.method) \(route.path) revealed \(secret)")
                    }
                    checked += 1
                }
            }
            // Each refusal is in A's audit log (without B's ids), and in the platform's.
            let audit = try await h.request(.get, "/audit-log?limit=100", bearer: tokens["admin-a"])
            #expect(audit.text.contains("cross_tenant.refused"), "\(audit.text)")
            for secret in secrets { #expect(!audit.text.contains(secret), "the audit log revealed \(secret)") }
            #expect(try await AuditLog(h.database).entries(action: "cross_tenant.refused").count >= 10)
            #expect(checked >= 20, "\(routes.map { "\($0.method) \($0.path)" })")

            // Every list, and every filter that takes an id, shows nothing of B.
            var lists = routes.filter { $0.method == "GET" && !$0.path.contains("{") && !$0.path.hasPrefix("/admin") }
                .map(\.path)
            lists += ["/reports?workflowId=\(bWorkflow)", "/reports?createdBy=\(bUser)"]
            for path in lists {
                for role in ["admin-a", "user-a"] {
                    let reply = try await h.request(.get, path, bearer: tokens[role])
                    #expect(reply.status.code < 500, "\(path)")
                    for secret in secrets {
                        #expect(!reply.text.contains(secret), "\(role) GET \(path) revealed \(secret)")
                    }
                }
            }
        }
    }
}
