import Foundation
import PlatformDB
import SQLKit
import Testing

/// Applied webhook bodies hold personal data: past the retention they are blanked, the row with
/// its dedupe key and body hash stays (a late redelivery is still a duplicate), pending and failed
/// events keep theirs, and a pruned event cannot be replayed.
@Suite struct InboxRetentionTests {
    @Test(arguments: Backend.available)
    func appliedBodiesArePrunedAndTheDedupeKeyStays(_ backend: Backend) async throws {
        try await TestDatabase.with(backend) { database in
            let inbox = WebhookInbox(database)
            let old = Date(timeIntervalSinceNow: -40 * 86_400)
            for (n, status) in ["APPLIED", "APPLIED", "FAILED", "PENDING"].enumerated() {
                _ = try await inbox.accept(
                    eventName: "user.signup", authorizerID: "az-\(n)", bodyHash: "h\(n)", dedupeKey: "k\(n)",
                    body: #"{"user":{"email":"person\#(n)@example.com"}}"#, now: old)
                try await database.withConnection { sql in
                    try await sql.raw(
                        "UPDATE webhook_events SET status = \(bind: status), applied_at = \(bind: old) WHERE dedupe_key = \(bind: "k\(n)")"
                    ).run()
                }
            }
            // One applied event is recent: kept.
            try await database.withConnection { sql in
                try await sql.raw("UPDATE webhook_events SET applied_at = \(bind: Date()) WHERE dedupe_key = 'k1'")
                    .run()
            }
            let pruned = try await inbox.pruneBodies(appliedBefore: Date(timeIntervalSinceNow: -30 * 86_400))
            #expect(pruned == 1)
            let events = try await inbox.events(status: nil)
            let bodies = Dictionary(uniqueKeysWithValues: events.map { ($0.authorizerID, $0.body) })
            #expect(bodies["az-0"] == "", "the old applied body is gone")
            #expect(bodies["az-1"]?.contains("person1@") == true, "a recent applied body is kept")
            #expect(bodies["az-2"]?.contains("person2@") == true && bodies["az-3"]?.contains("person3@") == true)
            #expect(events.count == 4, "every row stays")
            // The dedupe key still recognises a redelivery of the pruned event.
            #expect(
                try await inbox.accept(
                    eventName: "user.signup", authorizerID: "az-0", bodyHash: "h0", dedupeKey: "k0", body: "{}")
                    == false)
            let prunedID = try #require(events.first { $0.authorizerID == "az-0" }?.id)
            #expect(try await inbox.replay(id: prunedID) == false, "nothing left to apply")
            let failedID = try #require(events.first { $0.authorizerID == "az-2" }?.id)
            #expect(try await inbox.replay(id: failedID))
            #expect(try await inbox.failedCount() == 0)
        }
    }
}
