import Foundation
import Logging
import PlatformDB
import TestSupport
import Testing

@testable import Gateway

/// The worker applies the inbox in batches: one user's events out of order within one batch reach
/// the same final state as one by one, and a bad event sends its batch back to one-at-a-time, so
/// the others are applied and only it waits for a retry.
@Suite struct WebhookBatchTests {
    static let logger = Logger(label: "test.webhook-batch")

    static func event(_ name: String, id: String, updatedAt: Int, given: String = "U") -> String {
        #"{"event_name":"\#(name)","user":{"id":"\#(id)","email":"\#(id)@example.com","given_name":"\#(given)","email_verified":true,"updated_at":\#(updatedAt)}}"#
    }

    static func check(_ database: PlatformDatabase) async throws {
        let inbox = WebhookInbox(database)
        let bodies: [(String, String)] = [
            ("user.login", event("user.login", id: "a", updatedAt: 20, given: "New")),
            ("user.signup", event("user.signup", id: "a", updatedAt: 10, given: "Old")),
            ("user.signup", event("user.signup", id: "b", updatedAt: 10)),
            ("user.deleted", event("user.deleted", id: "b", updatedAt: 30)),
            ("user.login", event("user.login", id: "b", updatedAt: 20)),
            ("user.login", #"{"event_name":"user.login","user":"not an object"}"#),
            ("user.deactivated", event("user.deactivated", id: "d", updatedAt: 70, given: "Dee")),
            ("user.signup", event("user.signup", id: "d", updatedAt: 60, given: "Early")),
        ]
        for (index, (name, body)) in bodies.enumerated() {
            let id = name == "user.login" && body.contains("not an object") ? "bad" : "x\(index)"
            #expect(
                try await inbox.accept(
                    eventName: name, authorizerID: id, bodyHash: "h\(index)", dedupeKey: "k\(index)", body: body,
                    now: Date(timeIntervalSinceNow: Double(index - 100))))
        }
        let worker = WebhookWorker(
            inbox: inbox, store: UserSyncStore(database, roleForNewUser: RoleMapping().roleForWebhookUser),
            batchSize: 3,
            concurrency: database.dialect == .postgres ? 3 : 1, logger: logger)
        await worker.drain()

        let users = UserStore(database)
        #expect(try await users.find(authorizerID: "a")?.firstName == "New")
        #expect(try await users.find(authorizerID: "a")?.lastLoginAt != nil)
        #expect(try await users.find(authorizerID: "b")?.status == .deleted)
        let d = try await users.find(authorizerID: "d")
        #expect(d?.status == .suspended)
        #expect(d?.firstName == "Dee")
        // Only the bad event is left: a body that cannot be decoded will never be applied, so it is
        // parked at once (issue 18), with its error and one attempt; nothing is pending.
        #expect(try await inbox.events(status: "PENDING").isEmpty)
        let failed = try await inbox.events(status: "FAILED")
        #expect(failed.map(\.authorizerID) == ["bad"])
        #expect(failed.first?.attempts == 1)
        #expect(failed.first?.lastError?.contains("cannot be decoded") == true)
        #expect(try await inbox.events(status: "APPLIED").count == bodies.count - 1)
    }

    @Test func sqlite() async throws {
        try await PlatformDatabase.withOpened(.sqliteMemory, logger: Self.logger) { database in
            _ = try await Migrator(logger: Self.logger).migrate(database)
            try await Self.check(database)
        }
    }

    @Test(.enabled(if: TestPostgres.adminURL != nil)) func postgres() async throws {
        try await TestPostgres.shared.withDatabase(migrated: true, test: "webhookBatches") { url in
            try await PlatformDatabase.withOpened(url, logger: Self.logger) { try await Self.check($0) }
        }
    }
}
