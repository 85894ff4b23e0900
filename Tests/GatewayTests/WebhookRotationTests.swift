import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PlatformDB
import Testing

/// Rotating Authorizer's client secret, which signs its webhooks (`X-Authorizer-Signature`,
/// authorizer 2.4.0 `internal/events/events.go`). Authorizer sends each webhook once, so during the
/// overlap every delivery signed with the old or the new secret must be applied.
@Suite struct WebhookRotationTests {
    @Test func deliveriesSignedWithTheOldAndTheNewSecretAreAllAppliedDuringARotation() async throws {
        let (old, new) = ("old-client-secret-0123456789", "new-client-secret-0123456789")
        let logger = Logger(label: "test.rotation")
        let database = try await PlatformDatabase.open(.sqliteMemory, logger: logger)
        var auth = WebhookAuthentication()
        auth.authorizerSecret = new
        auth.previousAuthorizerSecret = old
        let app = try await buildApplication(
            configuration: .init(port: 0, databaseURL: .sqliteMemory, webhooks: auth), database: database,
            logger: logger)
        try await app.test(.ahc(.http)) { client in
            // Before Authorizer switches, after, and one more of each, interleaved as in flight.
            let signers = [old, new, old, new]
            for (n, secret) in signers.enumerated() {
                let event = WebhookTests.event(
                    "user.signup", id: "rot-\(n)", email: "rot-\(n)@example.com", updatedAt: 10)
                #expect(try await WebhookTests.deliver(client, event, secret: secret) == .accepted, "delivery \(n)")
            }
            let forged = WebhookTests.event("user.signup", id: "rot-x", email: "rot-x@example.com", updatedAt: 10)
            #expect(
                try await WebhookTests.deliver(client, forged, secret: "neither-secret-0123456789") == .unauthorized)
            let applied = try await PoisonEventTests.eventually {
                try await WebhookInbox(database).events(status: "APPLIED").count == signers.count
            }
            #expect(applied, "every delivery of the overlap is applied")
            for n in signers.indices {
                #expect(try await UserStore(database).find(authorizerID: "rot-\(n)") != nil, "user rot-\(n)")
            }
            #expect(try await UserStore(database).find(authorizerID: "rot-x") == nil)
        }
    }
}
