import Foundation
import Gateway
import HTTPTypes
import PlatformDB
import SQLKit
import TestSupport
import Testing

/// Gateways reaching PostgreSQL through PgBouncer 1.18 in transaction mode (issue 23, part 1),
/// where a server connection is a client's only for one transaction: no named prepared statement
/// (one prepared on one server connection is unknown on the next), `LISTEN` only on a direct URL,
/// and without one the caches that notifications keep true are off.
@Suite(
    .enabled(if: TestPostgres.pgbouncerURL != nil),
    .disabled(
        if: TestPostgres.pooled, "needs the direct URL to put the shared PgBouncer in front of, and listens on it"))
struct PgBouncerTests {
    /// Each gateway's URL through PgBouncer, `LISTEN` on the direct one when `listen`.
    static func pooled(listen: Bool) -> @Sendable (DatabaseURL) -> (DatabaseURL, PlatformDatabase.Topology) {
        { url in
            (TestPostgres.throughPgBouncer(url) ?? url, .init(transactionPooling: true, listenURL: listen ? url : nil))
        }
    }

    static let definition = #"{"trigger":{"type":"manual"},"steps":[]}"#

    @Test func twoInstancesWriteReadAndHearChangesThroughATransactionPooler() async throws {
        try await PostgresGatewayTests.withGateways(
            2, test: "twoInstancesWriteReadAndHearChangesThroughATransactionPooler", through: Self.pooled(listen: true)
        ) { gateways, url, _ in
            let bearer = try await PostgresGatewayTests.signedIn(
                "bouncer@example.com", clientName: "Bounce Co", a: gateways[0], b: gateways[1])
            // Writes and reads at once on both instances, more than PgBouncer's 10 server
            // connections, so that each client connection meets several server connections.
            let created = try await SharedRateLimitTests.together(30) { index in
                try await PostgresGatewayTests.call(
                    gateways[index % 2], .post, "/workflows",
                    #"{"name":"W\#(index)","definition":\#(Self.definition)}"#,
                    bearer: bearer
                ).0.code
            }
            #expect(created == Array(repeating: 201, count: 30), "\(created)")
            let read = try await SharedRateLimitTests.together(60) { index in
                let uri = index.isMultiple(of: 3) ? "/workflows?limit=5&status=DRAFT" : "/workflows?limit=20"
                return try await PostgresGatewayTests.call(gateways[index % 2], .get, uri, bearer: bearer).0.code
            }
            #expect(read == Array(repeating: 200, count: 60), "\(read)")
            var names: [String] = []
            var uri = "/workflows?limit=20"
            for _ in 0..<3 {
                let (status, body) = try await PostgresGatewayTests.call(gateways[1], .get, uri, bearer: bearer)
                #expect(status == .ok, "\(body)")
                let page = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
                names += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                guard let cursor = page["nextCursor"] as? String else { break }
                uri = "/workflows?limit=20&cursor=\(cursor)"
            }
            #expect(Set(names) == Set((0..<30).map { "W\($0)" }) && names.count == 30, "\(names)")

            // A change behind both instances reaches their cached pages: LISTEN runs on the direct URL.
            let first = try await PostgresGatewayTests.names(gateways, bearer: bearer)
            #expect(first[0] == first[1] && first[0].count == 20)
            try await PlatformDatabase.withOpened(url, logger: PostgresGatewayTests.logger) { database in
                try await database.withConnection { try await $0.raw("UPDATE workflows SET name = 'Renamed'").run() }
            }
            #expect(
                try await PostgresGatewayTests.eventually {
                    try await PostgresGatewayTests.names(gateways, bearer: bearer).allSatisfy {
                        $0 == Array(repeating: "Renamed", count: 20)
                    }
                })
        }
    }

    @Test func withoutADirectURLForListenTheCachesAreOff() async throws {
        try await PostgresGatewayTests.withGateways(
            1, test: "withoutADirectURLForListenTheCachesAreOff", through: Self.pooled(listen: false)
        ) { gateways, url, _ in
            let bearer = try await PostgresGatewayTests.signedIn(
                "nolisten@example.com", clientName: "Quiet Co", a: gateways[0], b: gateways[0])
            let (created, body) = try await PostgresGatewayTests.call(
                gateways[0], .post, "/workflows", #"{"name":"First","definition":\#(Self.definition)}"#, bearer: bearer)
            #expect(created == .created, "\(body)")
            #expect(try await PostgresGatewayTests.names(gateways, bearer: bearer) == [["First"]])
            // Nothing announces a change made behind the instance, so nothing is served from a cache:
            // the next read has it, and a role taken away holds at the next request.
            try await PlatformDatabase.withOpened(url, logger: PostgresGatewayTests.logger) { database in
                try await database.withConnection { sql in
                    try await sql.raw("UPDATE workflows SET name = 'Behind'").run()
                    try await sql.raw("UPDATE users SET status = 'SUSPENDED' WHERE email = 'nolisten@example.com'")
                        .run()
                }
            }
            let (status, _) = try await PostgresGatewayTests.call(gateways[0], .get, "/auth/me", bearer: bearer)
            #expect(status == .forbidden)
            try await PlatformDatabase.withOpened(url, logger: PostgresGatewayTests.logger) { database in
                try await database.withConnection { sql in
                    try await sql.raw("UPDATE users SET status = 'ACTIVE' WHERE email = 'nolisten@example.com'").run()
                }
            }
            #expect(try await PostgresGatewayTests.names(gateways, bearer: bearer) == [["Behind"]])
        }
    }
}
