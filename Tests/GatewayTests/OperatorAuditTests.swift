import Foundation
import Gateway
import PlatformDB
import Testing

/// Every operator action is audited, with its counts (issue 25, fault 6): a real reconcile that
/// marked 5 users DELETED, and a webhook replay, left nothing in `audit_log`.
@Suite struct OperatorAuditTests {
    @Test(arguments: GatewayHarness.Backend.available)
    func reconcilesAndReplaysAreAudited(_ backend: GatewayHarness.Backend) async throws {
        try await GatewayHarness.with(
            mode: .local, backend: backend, webhooksDelivered: false, superAdmins: ["ops@example.com"]
        ) { h in
            try await h.signup("ops@example.com")
            let ops = try await h.login("ops@example.com")
            let operatorID = try #require(try await UserStore(h.database).find(email: "ops@example.com")?.id)
            // Five platform users Authorizer does not have: the reconcile marks them DELETED.
            for index in 0..<5 {
                try await UserStore(h.database).upsertFromAuthorizer(
                    .init(
                        authorizerID: "gone-\(index)", email: "gone\(index)@example.com", firstName: nil, lastName: nil,
                        status: .active))
            }
            let dry = try await h.request(.post, "/admin/reconcile", json: ["dryRun": true], bearer: ops)
            #expect(dry.json["deleted"].int == 5, "\(dry.text)")
            let run = try await h.request(.post, "/admin/reconcile", json: [:], bearer: ops)
            #expect(run.json["deleted"].int == 5, "\(run.text)")

            let audit = AuditLog(h.database)
            let runs = try await audit.entries(action: "reconcile")
            #expect(runs.count == 1)
            #expect(runs.first?.actor == operatorID)
            #expect(runs.first?.detail?.contains("deleted 5") == true, "\(runs)")
            #expect(try await audit.entries(action: "reconcile.dry_run").first?.detail?.contains("deleted 5") == true)

            // A parked event, replayed by the operator.
            let inbox = WebhookInbox(h.database)
            _ = try await inbox.accept(
                eventName: "user.login", authorizerID: "bad", bodyHash: "h", dedupeKey: "bad", body: "{}")
            #expect(try await h.eventually { try await !inbox.events(status: "FAILED").isEmpty })
            let failed = try #require(try await inbox.events(status: "FAILED").first)
            let replay = try await h.request(.post, "/admin/webhook-events/\(failed.id)/replay", bearer: ops)
            #expect(replay.status == .accepted, "\(replay.text)")
            let replays = try await audit.entries(action: "webhook.replayed")
            #expect(replays.map(\.target) == [failed.id])
            #expect(replays.first?.actor == operatorID)
        }
    }
}
