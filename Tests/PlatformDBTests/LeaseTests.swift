import Foundation
import Logging
import PostgresNIO
import SQLKit
import TestSupport
import Testing

@testable import PlatformDB

/// The lease of a pooled PostgreSQL connection: bounded by its timeout, given up when its caller
/// is cancelled, and never losing the pool's connection either way (issue 10's bound, kept by
/// issue 22's lease without a timer task).
@Suite(.enabled(if: TestPostgres.adminURL != nil)) struct LeaseTests {
    @Test func aWaitEndsAtItsTimeoutOrCancellationAndTheConnectionIsKept() async throws {
        try await TestPostgres.shared.withDatabase(migrated: false, test: "aWaitEndsAtItsTimeout") { url in
            try await withOnePooledConnection(url) { database, client in
                let held = try await PlatformDatabase.lease(from: client, within: .seconds(5))

                let started = ContinuousClock.now
                let timedOut = await #expect(throws: PlatformDBError.self) {
                    _ = try await PlatformDatabase.lease(from: client, within: .milliseconds(300))
                }
                let waited = ContinuousClock.now - started
                #expect(timedOut?.description.contains("no PostgreSQL connection within 0.3 seconds") == true)
                #expect(waited >= .milliseconds(300) && waited < .seconds(2), "\(waited)")

                let waiter = Task { try await PlatformDatabase.lease(from: client, within: .seconds(60)) }
                try await Task.sleep(for: .milliseconds(100))
                let cancelled = ContinuousClock.now
                waiter.cancel()
                await #expect(throws: CancellationError.self) { _ = try await waiter.value }
                #expect(ContinuousClock.now - cancelled < .seconds(1))

                held.release()
                // Both withdrawn waits left the one connection to the callers after them.
                for _ in 0..<3 {
                    let one = try await database.withConnection { sql in
                        try await sql.raw("SELECT 1 AS one").first()?.decode(column: "one", as: Int.self)
                    }
                    #expect(one == 1)
                }
            }
        }
    }

    @Test func manyCallersShareAFewConnections() async throws {
        try await TestPostgres.shared.withDatabase(migrated: false, test: "manyCallersShareAFew") { url in
            try await withOnePooledConnection(url, size: 2) { database, _ in
                let sum = try await withThrowingTaskGroup(of: Int.self) { group in
                    for index in 1...40 {
                        group.addTask {
                            try await database.withConnection { sql in
                                try await sql.raw("SELECT \(literal: index) AS n").first()?.decode(
                                    column: "n", as: Int.self)
                                    ?? 0
                            }
                        }
                    }
                    return try await group.reduce(0, +)
                }
                #expect(sum == 40 * 41 / 2)
                #expect(database.connectionsInUse == 0)
            }
        }
    }

    private func withOnePooledConnection(
        _ url: DatabaseURL, size: Int = 1,
        _ body: @Sendable (PlatformDatabase, PostgresClient) async throws -> Void
    ) async throws {
        let database = try await PlatformDatabase.open(
            url, logger: Logger(label: "test.lease"), openConnections: size, maximumConnections: size)
        let client = try #require(database.postgresClient)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await database.run() }
            defer { group.cancelAll() }
            try await body(database, client)
        }
    }
}
