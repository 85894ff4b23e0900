import Foundation
import SQLKit
import Testing

@testable import PlatformDB

/// Deliveries that arrive together are committed together, each caller learns whether its own
/// delivery was new, and a delivery the database refuses fails alone.
@Suite struct InboxWriterTests {
    /// Makes the database refuse any delivery whose body is `poison`, as a constraint would.
    static func refusePoison(_ database: PlatformDatabase) async throws {
        try await database.withConnection { sql in
            if database.dialect == .postgres {
                try await sql.raw(
                    """
                    CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS
                    $$ BEGIN IF NEW.body = 'poison' THEN RAISE EXCEPTION 'poison'; END IF; RETURN NEW; END $$
                    """
                ).run()
                try await sql.raw(
                    "CREATE TRIGGER refuse_poison BEFORE INSERT ON webhook_events FOR EACH ROW EXECUTE FUNCTION refuse_poison()"
                ).run()
            } else {
                try await sql.raw(
                    """
                    CREATE TRIGGER refuse_poison BEFORE INSERT ON webhook_events WHEN NEW.body = 'poison'
                    BEGIN SELECT RAISE(ABORT, 'poison'); END
                    """
                ).run()
            }
        }
    }

    /// Sends `deliveries` (key, body) at once; returns each one's outcome by position.
    static func sendAtOnce(_ deliveries: [(key: String, body: String)], to inbox: WebhookInbox) async -> [Result<
        Bool, any Error
    >] {
        await withTaskGroup(of: (Int, Result<Bool, any Error>).self) { group in
            for (index, delivery) in deliveries.enumerated() {
                group.addTask {
                    do {
                        return (
                            index,
                            .success(
                                try await inbox.accept(
                                    eventName: "user.login", authorizerID: "u-\(delivery.key)", bodyHash: "h\(index)",
                                    dedupeKey: delivery.key, body: delivery.body))
                        )
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var outcomes = [Result<Bool, any Error>?](repeating: nil, count: deliveries.count)
            for await (index, result) in group { outcomes[index] = result }
            return outcomes.map { $0! }
        }
    }

    @Test(arguments: Backend.available)
    func concurrentDeliveriesAreGroupedAndEachLearnsItsOwnOutcome(_ backend: Backend) async throws {
        try await TestDatabase.with(backend) { database in
            let inbox = WebhookInbox(database)
            // 300 deliveries at once: keys 0..<200, the first 100 of them sent twice.
            let deliveries = (0..<300).map { (key: "k\($0 % 200)", body: #"{"n":\#($0)}"#) }
            let outcomes = await Self.sendAtOnce(deliveries, to: inbox)
            // Each key is new for exactly one of its deliveries and a duplicate for the other.
            for key in 0..<200 {
                let answers = (key < 100 ? [key, key + 200] : [key]).map { try? outcomes[$0].get() }
                #expect(answers.filter { $0 == true }.count == 1, "k\(key)")
                #expect(answers.allSatisfy { $0 != nil }, "k\(key)")
            }
            let stored = try await inbox.events(status: "PENDING", limit: 1000)
            #expect(stored.count == 200)
            #expect(Set(stored.map(\.id)).count == 200)
            // Grouped: one statement per delivery would be 300.
            let statements = inbox.writer.statements.load(ordering: .relaxed)
            #expect(statements <= 60, "\(statements) statements for 300 deliveries")
        }
    }

    @Test(arguments: Backend.available)
    func aRefusedDeliveryFailsAloneAndTheOthersAreStored(_ backend: Backend) async throws {
        try await TestDatabase.with(backend) { database in
            try await Self.refusePoison(database)
            let inbox = WebhookInbox(database)
            var deliveries = (0..<60).map { (key: "k\($0)", body: "{}") }
            deliveries.insert((key: "bad", body: "poison"), at: 30)
            let outcomes = await Self.sendAtOnce(deliveries, to: inbox)
            for (index, outcome) in outcomes.enumerated() {
                if index == 30 {
                    #expect(throws: PlatformDBError.self) { try outcome.get() }
                } else {
                    #expect((try? outcome.get()) == true, "\(deliveries[index].key)")
                }
            }
            let stored = try await inbox.events(status: "PENDING", limit: 1000)
            #expect(stored.count == 60)
            #expect(!stored.contains { $0.body == "poison" })
        }
    }

    @Test(arguments: Backend.available)
    func aLoneDeliveryIsWrittenAtOnce(_ backend: Backend) async throws {
        try await TestDatabase.with(backend) { database in
            let inbox = WebhookInbox(database)
            let first = try await inbox.accept(
                eventName: "user.login", authorizerID: "u", bodyHash: "h", dedupeKey: "k", body: "{}")
            #expect(first)
            #expect(
                try await !inbox.accept(
                    eventName: "user.login", authorizerID: "u", bodyHash: "h", dedupeKey: "k", body: "{}"))
            #expect(try await inbox.events(status: "PENDING").count == 1)
            #expect(inbox.writer.statements.load(ordering: .relaxed) == 2)
        }
    }
}
