import Foundation
import PlatformDB
import Testing

@testable import Gateway

/// `Permission.matrix`, cell by cell, through HTTP.
@Suite struct PermissionMatrixTests {
    @Test func everyCellHolds() async throws {
        try await GatewayHarness.with(mode: .local, superAdmins: ["root@example.com"]) { h in
            let admin = try await h.signup("pm-admin@example.com", clientName: "PM")
            let clientID = try #require(admin.json["user"]["clientId"].string)
            let memberSignup = try await h.signup("pm-user@example.com")
            try await h.database.withConnection { sql in
                try await sql.raw(
                    "UPDATE users SET client_id = \(bind: clientID) WHERE id = \(bind: memberSignup.json["user"]["id"].string ?? "")"
                ).run()
            }
            try await h.signup("root@example.com")
            let tokens: [Role: String] = [
                .admin: try await h.login("pm-admin@example.com"), .user: try await h.login("pm-user@example.com"),
                .superAdmin: try await h.login("root@example.com"),
            ]
            let adminToken = try #require(tokens[.admin])
            let adminsReport = try #require(
                try await h.request(.post, "/reports", json: ["title": "admin's"], bearer: adminToken).json["id"].string
            )

            for (role, token) in tokens.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                let ownReport =
                    role == .superAdmin
                    ? adminsReport
                    : try #require(
                        try await h.request(.post, "/reports", json: ["title": "own"], bearer: token).json["id"].string)
                let probes: [(Permission, String, String, [String: Any]?)] = [
                    (.readWorkflows, "GET", "/workflows", nil),
                    (.manageWorkflows, "POST", "/workflows", ["name": "p", "definition": WorkflowTests.definition]),
                    (.readReports, "GET", "/reports", nil),
                    (.createReports, "POST", "/reports", ["title": "p"]),
                    (.editOwnReports, "PATCH", "/reports/\(ownReport)", ["title": "mine"]),
                    (.manageReports, "PATCH", "/reports/\(adminsReport)", ["title": "any"]),
                    (.manageUsers, "GET", "/users", nil),
                    (.manageInvitations, "GET", "/invitations", nil),
                    (.renameTenant, "PATCH", "/clients/current", ["name": "PM"]),
                    (.readAuditLog, "GET", "/audit-log", nil),
                ]
                #expect(Set(probes.map(\.0)) == Set(Permission.allCases), "every permission has a probe")
                for (permission, method, path, body) in probes {
                    let allowed = Permission.matrix[role, default: []].contains(permission)
                    // An ADMIN editing their own report is also "editing any".
                    let reply = try await h.request(.init(method)!, path, json: body, bearer: token)
                    if allowed {
                        #expect(
                            (200..<300).contains(reply.status.code),
                            "\(role) \(permission): \(reply.status) \(reply.text)")
                    } else {
                        #expect(
                            [403, 404].contains(reply.status.code),
                            "\(role) \(permission): \(reply.status) \(reply.text)")
                    }
                }
            }
        }
    }
}
