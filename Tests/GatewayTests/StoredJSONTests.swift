import Foundation
import Gateway
import PlatformDB
import Testing

/// Stored JSON is always readable back (issue 25, fault 3): a report whose `content` nested 509
/// deep was stored with a 201 and made every list page holding it a 500; at 511 the POST was a
/// 500 with the row stored anyway.
@Suite struct StoredJSONTests {
    /// `[[…]]` nested `depth` deep.
    static func nested(_ depth: Int) -> String {
        String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    }

    @Test(arguments: GatewayHarness.Backend.available)
    func jsonNestedTooDeepIsRefusedWhereverItWouldBeStored(_ backend: GatewayHarness.Backend) async throws {
        try await GatewayHarness.with(mode: .local, backend: backend) { h in
            try await h.signup("owner@example.com", clientName: "Acme")
            let owner = try await h.login("owner@example.com")
            let before = try await h.request(.get, "/reports?limit=100", bearer: owner)
            let count = (before.json["items"].value as? [Any])?.count ?? -1

            for depth in [33, 509, 511] {
                let content = try await h.request(
                    .post, "/reports", body: Data(#"{"title":"deep","content":\#(Self.nested(depth))}"#.utf8),
                    bearer: owner)
                #expect(content.status == .badRequest, "content \(depth): \(content.text)")
                #expect(content.json["field"].string == "content", "\(depth)")
                let parameters = try await h.request(
                    .post, "/reports", body: Data(#"{"title":"deep","parameters":{"p":\#(Self.nested(depth))}}"#.utf8),
                    bearer: owner)
                #expect(parameters.status == .badRequest, "parameters \(depth): \(parameters.text)")
                #expect(parameters.json["field"].string == "parameters", "\(depth)")
                let definition = try await h.request(
                    .post, "/workflows",
                    body: Data(
                        #"{"name":"deep","definition":{"trigger":{"type":"manual"},"steps":[{"type":"x","d":\#(Self.nested(depth))}]}}"#
                            .utf8),
                    bearer: owner)
                #expect(definition.status == .badRequest, "definition \(depth): \(definition.text)")
                #expect(definition.json["field"].string == "definition", "\(depth)")
            }
            // Nothing was stored, and every list still reads.
            let after = try await h.request(.get, "/reports?limit=100", bearer: owner)
            #expect(after.status == .ok, "\(after.text)")
            #expect((after.json["items"].value as? [Any])?.count == count)
            #expect(try await h.request(.get, "/workflows?limit=100", bearer: owner).status == .ok)

            // At the limit: stored, and read back in a list.
            let deepest = try await h.request(
                .post, "/reports",
                body: Data(#"{"title":"at the limit","content":\#(Self.nested(JSONBodyLimit.maxDepth))}"#.utf8),
                bearer: owner)
            #expect(deepest.status == .created, "\(deepest.text)")
            let listed = try await h.request(.get, "/reports?limit=100", bearer: owner)
            #expect(listed.status == .ok, "\(listed.text)")
            #expect(listed.text.contains("at the limit"))
        }
    }

    /// A webhook body nested too deep is refused before it is stored.
    @Test func aWebhookBodyNestedTooDeepIsRefusedAndNotStored() async throws {
        try await PoisonEventTests.withReceiver(.sqlite) { client, database in
            let body =
                #"{"event_name":"user.signup","extra":\#(Self.nested(100)),"user":{"id":"deep","email":"deep@example.com"}}"#
            let (status, text) = try await PoisonEventTests.deliver(client, body)
            #expect(status == .badRequest, "\(text)")
            #expect(try await WebhookInbox(database).events(status: nil).isEmpty)
        }
    }
}

/// The limit as the README documents it (``JSONBody/maxDepth`` is internal to the gateway).
enum JSONBodyLimit {
    static let maxDepth = 32
}
