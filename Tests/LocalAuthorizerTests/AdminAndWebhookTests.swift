import AuthorizerClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import LocalAuthorizer

@Suite struct AdminAndWebhookTests {
    @Test func adminListsUpdatesRevokesEnablesAndDeletes() async throws {
        let roles: (inout AuthorizerConfiguration) -> Void = { $0.roles = ["user", "admin", "editor"] }
        try await Harness.with(configure: roles) { h in
            for index in 1...12 { try await h.signup("user\(index)@example.com") }
            try await h.signup("special@other.test", extra: ["given_name": "Grace"])

            let page = try await h.graphql(
                "query ($p: ListUsersRequest) { _users(params: $p) { pagination { limit page offset total } users { email } } }",
                variables: ["p": ["pagination": ["limit": 5, "page": 2]]], admin: true)
            let pagination = page.json["data"]["_users"]["pagination"]
            #expect(pagination["total"].int == 13)
            #expect(pagination["offset"].int == 5)
            #expect(page.json["data"]["_users"]["users"].array.count == 5)
            let query = try await h.graphql(
                "{ _users(params: {query: \"grace\"}) { users { email } } }", admin: true)
            #expect(query.json["data"]["_users"]["users"].array.map { $0["email"].string } == ["special@other.test"])

            let user = try await h.graphql(
                "{ _user(params: {email: \"user3@example.com\"}) { id roles } }", admin: true)
            let id = try #require(user.json["data"]["_user"]["id"].string)
            let updated = try await h.graphql(
                "mutation ($p: UpdateUserRequest!) { _update_user(params: $p) { roles given_name } }",
                variables: ["p": ["id": id, "roles": ["user", "editor"], "given_name": "Three"]], admin: true)
            #expect(updated.json["data"]["_update_user"]["roles"].array.map(\.string) == ["user", "editor"])
            let badRole = try await h.graphql(
                "mutation ($p: UpdateUserRequest!) { _update_user(params: $p) { id } }",
                variables: ["p": ["id": id, "roles": ["owner"]]], admin: true)
            #expect(badRole.json["errors"][0]["extensions"]["code"].string == "INVALID_ARGUMENT")

            let token = try #require(
                try await h.login("user3@example.com").json["data"]["login"]["access_token"].string)
            let revoke = try await h.graphql(
                "mutation ($p: UpdateAccessRequest!) { _revoke_access(param: $p) { message } }",
                variables: ["p": ["user_id": id]], admin: true)
            #expect(revoke.json["data"]["_revoke_access"]["message"].string == "user access revoked successfully")
            #expect(try await h.validate(token).json["errors"][0]["message"].string == "invalid token")
            #expect(try await h.login("user3@example.com").json["errors"][0]["message"].string == "invalid credentials")

            let enable = try await h.graphql(
                "mutation ($p: UpdateAccessRequest!) { _enable_access(param: $p) { message } }",
                variables: ["p": ["user_id": id]], admin: true)
            #expect(enable.json["data"]["_enable_access"]["message"].string == "user access enabled successfully")
            #expect(try await h.login("user3@example.com").json["data"]["login"]["access_token"].string != nil)

            let delete = try await h.graphql(
                "mutation ($p: DeleteUserRequest!) { _delete_user(params: $p) { message } }",
                variables: ["p": ["id": id]], admin: true)
            #expect(delete.json["data"]["_delete_user"]["message"].string == "user deleted successfully")
            let gone = try await h.graphql("{ _user(params: {email: \"user3@example.com\"}) { id } }", admin: true)
            #expect(gone.json["errors"][0]["extensions"]["code"].string == "NOT_FOUND")
        }
    }

    /// A receiver that keeps each delivery's raw bytes and signature header.
    final class Receiver: Sendable {
        struct Delivery: Sendable {
            var body: Data
            var signature: String?
            var custom: String?
        }
        let deliveries = Mutex<[Delivery]>([])

        func app() -> some ApplicationProtocol {
            let router = Router()
            router.post("/hook") { request, _ -> HTTPResponse.Status in
                let body = try await request.body.collect(upTo: 1 << 20)
                let delivery = Delivery(
                    body: Data(buffer: body), signature: request.headers[HTTPField.Name("X-Authorizer-Signature")!],
                    custom: request.headers[HTTPField.Name("X-Custom")!])
                self.deliveries.withLock { $0.append(delivery) }
                return .ok
            }
            return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        }

        func waitFor(_ count: Int) async throws -> [Delivery] {
            for _ in 0..<200 {
                let seen = deliveries.withLock { $0 }
                if seen.count >= count { return seen }
                try await Task.sleep(for: .milliseconds(25))
            }
            return deliveries.withLock { $0 }
        }
    }

    @Test func theWebhookFlagSubscribesAURLToEveryEventOnce() async throws {
        let flag: (inout AuthorizerConfiguration) -> Void = { $0.webhookURLs = ["http://127.0.0.1:9/hook"] }
        try await Harness.with(configure: flag) { h in
            let list = try await h.graphql(
                "{ _webhooks(params: {limit: 100}) { pagination { total } webhooks { event_name endpoint enabled } } }",
                admin: true)
            let names = list.json["data"]["_webhooks"]["webhooks"].array.compactMap { $0["event_name"].string }.sorted()
            #expect(names == WebhookDispatcher.events.sorted())
        }
    }

    @Test func webhooksAreSignedSortedAndLogged() async throws {
        let receiver = Receiver()
        try await receiver.app().test(.ahc(.http)) { receiverClient in
            let endpoint = "http://127.0.0.1:\(receiverClient.port ?? 0)/hook"
            try await Harness.with { h in
                let add = try await h.graphql(
                    "mutation ($p: AddWebhookRequest!) { _add_webhook(params: $p) { message } }",
                    variables: [
                        "p": [
                            "event_name": "user.signup", "endpoint": endpoint, "enabled": true,
                            "headers": ["X-Custom": "static-secret"],
                        ]
                    ],
                    admin: true)
                #expect(add.json["data"]["_add_webhook"]["message"].string == "Added webhook successfully")

                let signup = try await h.signup("hook<&>@example.com")
                #expect(signup["user"]["id"].string != nil)
                let deliveries = try await receiver.waitFor(1)
                let delivery = try #require(deliveries.first)
                // The signature is verified on the raw bytes, before anything is parsed.
                #expect(
                    WebhookSignature.isValid(
                        delivery.signature ?? "", body: delivery.body, secret: h.configuration.clientSecret))
                #expect(!WebhookSignature.isValid(delivery.signature ?? "", body: delivery.body, secret: "wrong"))
                #expect(delivery.custom == "static-secret")
                let text = String(decoding: delivery.body, as: UTF8.self)
                #expect(
                    text.hasPrefix(
                        #"{"auth_recipe":"basic_auth","event_description":"user signup","event_name":"user.signup","user":{"#
                    ))
                #expect(text.contains(#"hook\u003c\u0026\u003e@example.com"#))
                #expect(!text.contains("given_name"), "null fields are left out")
                #expect(!text.contains("password"))
                let json = JSON(parsing: text)
                #expect(json["user"]["id"].string == signup["user"]["id"].string)

                // The attempt is in the webhook log.
                var logged = 0
                for _ in 0..<100 where logged == 0 {
                    let logs = try await h.graphql(
                        "{ _webhook_logs { webhook_logs { http_status request } } }", admin: true)
                    logged =
                        logs.json["data"]["_webhook_logs"]["webhook_logs"].array.filter { $0["http_status"].int == 200 }
                        .count
                    if logged == 0 { try await Task.sleep(for: .milliseconds(20)) }
                }
                #expect(logged == 1)
            }
        }
    }
}
