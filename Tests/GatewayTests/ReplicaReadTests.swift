import Foundation
import Gateway
import HTTPTypes
import HummingbirdTesting
import PlatformDB
import SQLKit
import TestSupport
import Testing

/// Reads on a streaming replica made by `pg_basebackup` (issue 23, part 4): tenant lists and reads
/// go to the replica once it has replayed the primary's latest commit, so a caller reads its own
/// writes through any instance; behind that, or down, reads go to the primary.
@Suite(
    .enabled(if: TestPostgres.replicaURL != nil),
    .disabled(if: TestPostgres.pooled, "pauses the replica's replay as a superuser on a direct connection"))
struct ReplicaReadTests {
    static func withReplica(_ url: DatabaseURL) -> (DatabaseURL, PlatformDatabase.Topology) {
        (url, .init(readURL: TestPostgres.onReplica(url)))
    }

    /// `database_reads_total{on="<on>"}` in `/metrics` (the process's registry, all instances).
    static func reads(_ gateway: any TestClientProtocol, on: String) async throws -> Int {
        let (_, text) = try await PostgresGatewayTests.call(gateway, .get, "/metrics")
        let line = text.split(separator: "\n").first { $0.hasPrefix("database_reads_total{on=\"\(on)\"}") }
        return line.flatMap { Double($0.split(separator: " ").last ?? "") }.map { Int($0) } ?? 0
    }

    /// Waits (up to 10 s) until the replica has replayed the primary's WAL insert position of now.
    static func untilReplicaCaughtUp(_ url: DatabaseURL) async throws {
        let position = try await PlatformDatabase.withOpened(url, logger: PostgresGatewayTests.logger) { database in
            try await database.withConnection { sql in
                try await sql.raw("SELECT pg_current_wal_insert_lsn()::text AS lsn").first()?.decode(
                    column: "lsn", as: String.self) ?? ""
            }
        }
        let replica = try #require(TestPostgres.onReplica(url))
        try await PlatformDatabase.withOpened(replica, logger: PostgresGatewayTests.logger) { database in
            for _ in 0..<1000 {
                let done = try await database.withConnection { sql in
                    try await sql.raw(
                        "SELECT pg_last_wal_replay_lsn() >= \(bind: position)::pg_lsn AS done"
                    ).first()?.decode(column: "done", as: Bool.self)
                }
                if done == true { return }
                try await Task.sleep(for: .milliseconds(10))
            }
        }
    }

    /// Runs `statement` as the superuser on the replica.
    static func onReplica(_ url: DatabaseURL, _ statement: String) async throws {
        let replica = try #require(TestPostgres.onReplica(url))
        try await PlatformDatabase.withOpened(replica, logger: PostgresGatewayTests.logger) { database in
            try await database.withConnection { try await $0.raw(SQLQueryString(stringLiteral: statement)).run() }
        }
    }

    @Test func aWriteOnOneInstanceIsReadAtOnceOnTheOther() async throws {
        try await PostgresGatewayTests.withGateways(
            2, test: "aWriteOnOneInstanceIsReadAtOnceOnTheOther", through: Self.withReplica,
            configure: { $0.metrics = ObservabilityTests.registry }
        ) { gateways, url, _ in
            let bearer = try await PostgresGatewayTests.signedIn(
                "replica@example.com", clientName: "Replica Co", a: gateways[0], b: gateways[1])
            let before = try await Self.reads(gateways[0], on: "replica")
            // Each write on one instance, read back at once on the other: by id, and in the list.
            for index in 0..<20 {
                let (status, body) = try await PostgresGatewayTests.call(
                    gateways[index % 2], .post, "/workflows",
                    #"{"name":"R\#(index)","definition":\#(PgBouncerTests.definition)}"#,
                    bearer: bearer)
                #expect(status.code == 201, "\(body)")
                let id = try #require(
                    (try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["id"] as? String)
                let other = gateways[(index + 1) % 2]
                let (readStatus, _) = try await PostgresGatewayTests.call(
                    other, .get, "/workflows/\(id)", bearer: bearer)
                #expect(readStatus == .ok, "write \(index) not read back on the other instance")
                let (_, list) = try await PostgresGatewayTests.call(
                    other, .get, "/workflows?limit=100&status=DRAFT", bearer: bearer)
                #expect(list.contains("\"R\(index)\""), "write \(index) missing from the other instance's list")
            }
            // Once the replica has caught up (this cluster commits asynchronously, so under load it
            // can trail by more than the 100 ms a read waits), reads are answered there (sampled
            // each second into the process's metrics).
            try await Self.untilReplicaCaughtUp(url)
            for _ in 0..<10 {
                let (status, _) = try await PostgresGatewayTests.call(
                    gateways[1], .get, "/workflows?limit=5&status=DRAFT", bearer: bearer)
                #expect(status == .ok)
            }
            #expect(
                try await PostgresGatewayTests.eventually { try await Self.reads(gateways[0], on: "replica") > before },
                "no read went to the replica")

            // The replica stops replaying: reads wait up to 100 ms, then go to the primary, and
            // still see every write.
            try await Self.onReplica(url, "SELECT pg_wal_replay_pause()")
            do {
                for index in 20..<25 {
                    let (_, body) = try await PostgresGatewayTests.call(
                        gateways[0], .post, "/workflows",
                        #"{"name":"R\#(index)","definition":\#(PgBouncerTests.definition)}"#, bearer: bearer)
                    let id = try #require(
                        (try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["id"] as? String)
                    let (readStatus, _) = try await PostgresGatewayTests.call(
                        gateways[1], .get, "/workflows/\(id)", bearer: bearer)
                    #expect(readStatus == .ok, "write \(index) not read back while the replica lags")
                }
            } catch {
                try? await Self.onReplica(url, "SELECT pg_wal_replay_resume()")
                throw error
            }
            try await Self.onReplica(url, "SELECT pg_wal_replay_resume()")
        }
    }
}
