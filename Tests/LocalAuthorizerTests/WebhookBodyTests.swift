import AuthorizerClient
import Foundation
import TestSupport
import Testing

@testable import LocalAuthorizer

/// Webhook bodies byte for byte as Authorizer 2.4.0 writes them (`internal/events/events.go`):
/// the golden files under `Tests/Fixtures/authorizer/golden/` are the real encoder's output for
/// one sample user, with the signatures it sends (client secret `golden-client-secret`).
@Suite struct WebhookBodyTests {
    /// The golden files' user (their README): verified, `family_name` with HTML characters, no
    /// app_data, revoked only in the revoke and deactivate events.
    static func sampleUser(revoked: Bool) -> AuthorizerUser {
        var user = AuthorizerUser(
            id: "8a2f9b1e-4c3d-4e5f-9a8b-7c6d5e4f3a2b", email: "jane.doe@example.com", passwordHash: nil, roles: ["user"],
            now: 1_755_600_000)
        user.updatedAt = 1_755_600_100
        user.emailVerifiedAt = 1_755_600_000
        user.givenName = "Jane"
        user.familyName = "Doe & <Co>"
        if revoked { user.revokedTimestamp = 1_755_600_200 }
        return user
    }

    static let signatures = [
        "user.signup": "5468416688ed5cb4da24f16b22c9ab26cd8c78c0caf57795e344a07d9dab3ce9",
        "user.created": "fded41d6fd559557bf1447d06e47f699bd92f41255c089b3e62f2c2cf5209ead",
        "user.login": "747325a12465a105e270151003aefe29b543f8acd67343e7ce13747d2d69f768",
        "user.deleted": "4db43f8f07ab32183009df2c5ecb66de954afe379cd992f1cca083631a3b4cea",
        "user.deactivated": "b0974768749641f93e19620c47c5c3a417bb89d08bc7df87ed31aa21ff92b665",
        "user.access_revoked": "ec1b024ee10977f6bb82441aac7e56014a3ef5d42e120cb019f3240761180614",
        "user.access_enabled": "9f4446a7b96cf58e285155f91cc899170a9989363cd0527fcdedcd5085de4569",
    ]

    @Test(arguments: WebhookDispatcher.events.sorted())
    func everyEventsBodyIsTheRealEncodersBytes(_ event: String) throws {
        let golden = try Fixtures.data("authorizer/golden/\(event).json")
        let revoked = ["user.access_revoked", "user.deactivated"].contains(event)
        let body = try WebhookDispatcher.body(
            event: event, user: Self.sampleUser(revoked: revoked), webhookID: "wh_1", description: nil)
        #expect(String(decoding: body, as: UTF8.self) == String(decoding: golden, as: UTF8.self))
        #expect(WebhookSignature.sign(body, secret: "golden-client-secret") == Self.signatures[event])
    }

    /// Non-empty app_data is a nested object with sorted keys; an explicit description, even "",
    /// is sent as stored (golden README, decisions 3 and 6).
    @Test func appDataAndAStoredDescriptionAreWrittenAsAuthorizerWritesThem() throws {
        var user = Self.sampleUser(revoked: false)
        user.appData = #"{"z":1,"a":{"k":"<v>"}}"#
        let body = String(decoding: try WebhookDispatcher.body(event: "user.deleted", user: user, webhookID: "w", description: ""), as: UTF8.self)
        #expect(body.contains(#""app_data":{"a":{"k":"\u003cv\u003e"},"z":1}"#))
        #expect(body.hasPrefix(#"{"event_description":"","event_name":"user.deleted""#))
        user.appData = "{}"
        let empty = String(decoding: try WebhookDispatcher.body(event: "user.deleted", user: user, webhookID: "w", description: nil), as: UTF8.self)
        #expect(!empty.contains("app_data"))
    }
}

/// Authorizer 2.4 refuses webhook endpoints on loopback and private addresses at `_add_webhook`
/// and `_update_webhook` (`service/admin_webhooks.go`, `validators/endpoint.go`) and again at
/// delivery (`events/events.go`), unless started with `--env=e2e`.
@Suite struct PrivateEndpointTests {
    @Test func privateAddressesAreRefusedUnlessE2E() async throws {
        let add = "mutation ($p: AddWebhookRequest!) { _add_webhook(params: $p) { message } }"
        try await Harness.with(configure: { $0.env = "" }) { h in
            for endpoint in [
                "http://127.0.0.1:9/hook", "http://localhost/hook", "http://10.1.2.3/x", "http://[::1]/x",
                "http://169.254.169.254/latest", "http://[::ffff:192.168.0.1]/x", "http://100.64.0.1/",
            ] {
                let reply = try await h.graphql(
                    add, variables: ["p": ["event_name": "user.login", "endpoint": endpoint, "enabled": true]], admin: true)
                #expect(
                    reply.json["errors"][0]["message"].string == "invalid endpoint: requests to private/internal networks are not allowed",
                    "\(endpoint): \(reply.text)")
                #expect(reply.json["errors"][0]["extensions"]["code"].string == "INVALID_ARGUMENT")
            }
            let scheme = try await h.graphql(
                add, variables: ["p": ["event_name": "user.login", "endpoint": "ftp://example.com/x", "enabled": true]], admin: true)
            #expect(scheme.json["errors"][0]["message"].string == "invalid endpoint: only http and https schemes are allowed")
            let publicAddress = try await h.graphql(
                add, variables: ["p": ["event_name": "user.login", "endpoint": "http://93.184.215.14/hook", "enabled": true]], admin: true)
            #expect(publicAddress.json["data"]["_add_webhook"]["message"].string == "Added webhook successfully", "\(publicAddress.text)")
        }
        try await Harness.with(configure: { $0.env = "e2e" }) { h in
            let reply = try await h.graphql(
                add, variables: ["p": ["event_name": "user.login", "endpoint": "http://127.0.0.1:9/hook", "enabled": true]],
                admin: true)
            #expect(reply.json["data"]["_add_webhook"]["message"].string == "Added webhook successfully")
        }
    }

    @Test func theRangesAreAuthorizers() {
        for (address, refused) in [
            ([UInt8]([8, 8, 8, 8]), false), ([172, 15, 255, 255], false), ([172, 16, 0, 1], true), ([172, 31, 255, 255], true),
            ([172, 32, 0, 0], false), ([198, 19, 0, 1], true), ([198, 20, 0, 1], false), ([224, 0, 0, 1], true),
            ([255, 255, 255, 255], true), ([0, 1, 2, 3], true),
        ] {
            #expect(EndpointPolicy.isPrivate(address) == refused, "\(address)")
        }
        var v6 = [UInt8](repeating: 0, count: 16)
        v6[0] = 0x26; v6[1] = 0x06
        #expect(!EndpointPolicy.isPrivate(v6))
        v6[0] = 0xfd
        #expect(EndpointPolicy.isPrivate(v6))
        v6[0] = 0xfe; v6[1] = 0xbf
        #expect(EndpointPolicy.isPrivate(v6))
        v6[1] = 0xc0
        #expect(!EndpointPolicy.isPrivate(v6))
    }
}
