import Foundation
import Gateway
import PlatformDB
import Testing

@Suite struct ReportTests {
    @Test func usersEditTheirOwnAdminsAnyAndWorkflowsMustBeTheTenants() async throws {
        try await GatewayHarness.with(mode: .local) { h in
            let owner = try await h.signup("ra@example.com", clientName: "R")
            let clientID = try #require(owner.json["user"]["clientId"].string)
            let admin = try await h.login("ra@example.com")
            let memberSignup = try await h.signup("ru@example.com")
            try await h.database.withConnection { sql in
                try await sql.raw(
                    "UPDATE users SET client_id = \(bind: clientID) WHERE id = \(bind: memberSignup.json["user"]["id"].string ?? "")"
                ).run()
            }
            let member = try await h.login("ru@example.com")
            try await h.signup("other@example.com", clientName: "Other")
            let other = try await h.login("other@example.com")
            let foreignWorkflow = try #require(
                try await h.request(
                    .post, "/workflows", json: ["name": "theirs", "definition": WorkflowTests.definition], bearer: other
                ).json["id"].string)
            let workflow = try #require(
                try await h.request(
                    .post, "/workflows", json: ["name": "ours", "definition": WorkflowTests.definition], bearer: admin
                ).json["id"].string)

            let byAdmin = try await h.request(
                .post, "/reports", json: ["title": "Admin's", "workflowId": workflow, "parameters": ["range": "7d"]],
                bearer: admin)
            #expect(byAdmin.status == .created, "\(byAdmin.text)")
            let byMember = try await h.request(.post, "/reports", json: ["title": "Mine"], bearer: member)
            #expect(byMember.status == .created)
            let adminReport = try #require(byAdmin.json["id"].string)
            let memberReport = try #require(byMember.json["id"].string)

            // A foreign workflow reads exactly like a missing one.
            let foreign = try await h.request(
                .post, "/reports", json: ["title": "x", "workflowId": foreignWorkflow], bearer: member)
            let missing = try await h.request(
                .post, "/reports", json: ["title": "x", "workflowId": "c0000000000000000000000000"], bearer: member)
            #expect(foreign.status == .badRequest)
            #expect(foreign.json["detail"].string == missing.json["detail"].string)

            #expect(
                try await h.request(.patch, "/reports/\(memberReport)", json: ["status": "READY"], bearer: member)
                    .status == .ok)
            #expect(
                try await h.request(.patch, "/reports/\(adminReport)", json: ["title": "hijack"], bearer: member).status
                    == .notFound)
            #expect(try await h.request(.delete, "/reports/\(adminReport)", bearer: member).status == .notFound)
            #expect(
                try await h.request(.patch, "/reports/\(memberReport)", json: ["title": "Reviewed"], bearer: admin)
                    .status == .ok)
            #expect(try await h.request(.get, "/reports/\(adminReport)", bearer: other).status == .notFound)

            let filtered = try await h.request(.get, "/reports?workflowId=\(workflow)", bearer: member)
            #expect(
                ((filtered.json["items"].value as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String } == [
                    adminReport
                ])
            let ready = try await h.request(.get, "/reports?status=READY", bearer: member)
            #expect(((ready.json["items"].value as? [[String: Any]]) ?? []).count == 1)
            let foreignFilter = try await h.request(.get, "/reports?workflowId=\(foreignWorkflow)", bearer: member)
            #expect(((foreignFilter.json["items"].value as? [Any]) ?? [1]).isEmpty)
            for query in ["status=DONE", "createdFrom=yesterday", "workflowId=x", "limit=1000"] {
                #expect(
                    try await h.request(.get, "/reports?\(query)", bearer: member).status == .badRequest, "\(query)")
            }
            #expect(try await h.request(.delete, "/reports/\(memberReport)", bearer: member).status == .noContent)
            #expect(try await h.request(.delete, "/workflows/\(workflow)", bearer: admin).status == .noContent)
            let audit = try await h.request(.get, "/audit-log", bearer: admin)
            #expect(audit.text.contains("report.deleted") && audit.text.contains(memberReport))
            #expect(audit.text.contains("workflow.deleted"))
        }
    }
}
