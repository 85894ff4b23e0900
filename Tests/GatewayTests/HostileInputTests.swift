import AuthorizerClient
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PlatformDB
import PropertyBased
import TestSupport
import Testing

/// Values from outside that once reached a trapping conversion or a database that refuses them
/// (issue 18), on both databases: each must be a 4xx problem, and the process must live on.
@Suite struct HostileInputTests {
    /// base64url, as the API writes cursors.
    static func cursor(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(
            of: "/", with: "_"
        )
        .replacingOccurrences(of: "=", with: "")
    }

    /// A tenant's ADMIN and a platform operator, signed in: their tokens.
    static func signIn(_ harness: GatewayHarness) async throws -> (owner: String, operator: String) {
        try await harness.signup("owner@example.com", clientName: "Acme")
        try await harness.signup("ops@example.com")
        return (try await harness.login("owner@example.com"), try await harness.login("ops@example.com"))
    }

    /// Issue 18, fault 1: `1e13|…` as a cursor aborted the process on PostgreSQL ("Double value
    /// cannot be converted to Int64" in PostgresNIO's Date encoding). Every list with a cursor.
    @Test(arguments: GatewayHarness.Backend.available)
    func aCursorFarInTimeIsABadRequestOnEveryList(_ backend: GatewayHarness.Backend) async throws {
        try await GatewayHarness.with(mode: .local, backend: backend, superAdmins: ["ops@example.com"]) { harness in
            let (owner, operatorToken) = try await Self.signIn(harness)
            for seconds in ["1e13", "-1e13", "1e300", "-62135596801", "253402300800"] {
                let cursor = Self.cursor("\(seconds)|c0000000000000000000000000")
                for (route, token) in [
                    ("/workflows", owner), ("/reports", owner), ("/users", owner), ("/admin/users", operatorToken),
                    ("/admin/clients", operatorToken),
                ] {
                    let reply = try await harness.request(.get, "\(route)?cursor=\(cursor)", bearer: token)
                    #expect(reply.status == .badRequest, "\(route) \(seconds): \(reply.text)")
                    #expect(reply.json["field"].string == "cursor", "\(route) \(seconds)")
                }
            }
            // A cursor in range still pages.
            let inRange = Self.cursor("946684800|c0000000000000000000000000")
            #expect(try await harness.request(.get, "/workflows?cursor=\(inRange)", bearer: owner).status == .ok)
            #expect(try await harness.request(.get, "/healthz").status == .ok)
        }
    }

    /// Numbers, dates and text at and past every boundary, written as they travel in a query
    /// (already percent-encoded): huge numbers, exponents, negatives, NaN and inf as text, dates
    /// before 1970 and after 9999, NUL, a lone surrogate's bytes, invalid UTF-8, 10k characters.
    static let edgeTexts: [String] = [
        "0", "-0", "-1", "1", "100", "101", "1e13", "-1e13", "1e308", "1e309", "-1e309", "NaN", "nan", "inf", "-inf",
        "Infinity", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
        "0x10", "1.5", "%201", "1%20", "",
        "0000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "1969-12-31T23:59:59Z",
        "1900-02-29T00:00:00Z", "9999-12-31T23:59:59Z", "10000-01-01T00:00:00Z", "%2B275760-09-13T00:00:00Z",
        "2026-13-45T25:61:61Z", "2026-11-29T00:00:00%2B99:99",
        "%00", "a%00b", "%ED%A0%80", "%ED%B0%80", "%FF%FE", "%C0%80", "%E2%80%AE", "c0000000000000000000000000",
        "c%000000000000000000000000", "ACTIVE", "active", "PENDING",
        String(repeating: "x", count: 10_000), String(repeating: "%C3%A9", count: 10_000),
    ]

    /// Hostile cursors: base64url of "<number>|<id>" with every edge number, and raw hostile text.
    static let edgeCursors: [String] =
        edgeTexts.filter { $0.count < 100 && !$0.contains("%") }.flatMap { number in
            [cursor("\(number)|c0000000000000000000000000"), cursor("\(number)|x"), cursor(number)]
        } + [
            cursor("1e13|c0000000000000000000000000|x"), cursor("|"), cursor("\u{0}|\u{0}"), "%00", "====", "-_-_", "",
        ]

    /// A hostile value: an edge (most often), or a random number or string built from scalars
    /// across the whole Unicode range, NUL included.
    static let hostileValue = Gen<String>.frequency(
        (4, Gen.element(of: edgeTexts).map { $0 ?? "" }),
        (2, Gen.element(of: edgeCursors).map { $0 ?? "" }),
        (1, Gen.double(in: -1e300...1e300).map { "\($0)" }),
        (1, Gen.int64(in: .min ... .max).map { "\($0)" }),
        // (The library's own scalar generator unwraps surrogate code points, which are no scalars.)
        (
            1,
            Gen<UInt32>.value(in: 0...0x10FFFF).map { Character(UnicodeScalar($0) ?? "\u{FFFD}") }.string(of: 0...40)
                .map {
                    $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                }
        )
    )

    /// Every query parameter of every list, each fed hostile values on both databases: nothing
    /// answers 5xx, and the process answers `/healthz` at the end.
    @Test(arguments: GatewayHarness.Backend.available)
    func everyQueryParameterTakesHostileValues(_ backend: GatewayHarness.Backend) async throws {
        try await GatewayHarness.with(mode: .local, backend: backend, superAdmins: ["ops@example.com"]) { harness in
            let (owner, operatorToken) = try await Self.signIn(harness)
            let created = try await harness.request(
                .post, "/workflows",
                json: ["name": "W", "definition": ["trigger": ["type": "manual"], "steps": [["type": "notify"]]]],
                bearer: owner)
            #expect(created.status == .created)
            let parameters: [(route: String, name: String, token: String)] =
                [
                    ("/workflows", "limit"), ("/workflows", "cursor"), ("/workflows", "status"),
                    ("/workflows", "search"),
                    ("/reports", "limit"), ("/reports", "cursor"), ("/reports", "workflowId"),
                    ("/reports", "createdBy"),
                    ("/reports", "status"), ("/reports", "createdFrom"), ("/reports", "createdTo"), ("/users", "limit"),
                    ("/users", "cursor"), ("/audit-log", "limit"),
                ].map { ($0.0, $0.1, owner) }
                + [
                    ("/admin/users", "limit"), ("/admin/users", "cursor"), ("/admin/clients", "limit"),
                    ("/admin/clients", "cursor"),
                    ("/admin/webhook-events", "status"), ("/admin/webhook-events", "limit"),
                ].map { ($0.0, $0.1, operatorToken) }
            for parameter in parameters {
                await propertyCheck(count: 40, input: Self.hostileValue) { value in
                    let reply = try await harness.request(
                        .get, "\(parameter.route)?\(parameter.name)=\(value)", bearer: parameter.token)
                    #expect(
                        reply.status.code < 500,
                        "\(parameter.route)?\(parameter.name)=\(value.prefix(80)) → \(reply.status.code) \(reply.text)")
                }
            }
            // The If-Match version is a number from outside too.
            let id = created.json["id"].string ?? ""
            for value in Self.edgeTexts where value.count < 100 && !value.contains("%") {
                let reply = try await harness.request(
                    .patch, "/workflows/\(id)", json: ["name": "V"], bearer: owner, ifMatch: "\"\(value)\"")
                #expect(reply.status.code < 500, "If-Match \(value) → \(reply.status.code) \(reply.text)")
            }
            #expect(try await harness.request(.get, "/healthz").status == .ok)
        }
    }
}
