import Foundation
import SQLKit
import TestSupport
import Testing

@testable import PlatformDB

/// Attempts counted per key in fixed windows shared through PostgreSQL (issue 23).
@Suite(.enabled(if: TestPostgres.adminURL != nil)) struct RateWindowStoreTests {
    @Test func countsPerKeyInTheirOrderUntilTheWindowEnds() async throws {
        try await TestDatabase.with(.postgres) { database in
            let store = RateWindowStore(database)
            // Given in either order, each key gets its own count back in its place.
            #expect(try await store.count(["b", "a"], window: .seconds(1)).map(\.attempts) == [1, 1])
            #expect(try await store.count(["a", "b"], window: .seconds(1)).map(\.attempts) == [2, 2])
            let third = try await store.count(["a"], window: .seconds(1))
            #expect(third.map(\.attempts) == [3])
            #expect(third.first?.secondsLeft == 1)
            #expect(third.first.map { $0.remaining > .zero && $0.remaining <= .seconds(1) } == true)
            // Concurrent attempts are each counted once.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 { group.addTask { _ = try await store.count(["c", "a"], window: .seconds(60)) } }
                try await group.waitForAll()
            }
            #expect(try await store.count(["c"], window: .seconds(60)).map(\.attempts) == [21])

            // A window that ended starts again at 1; the table holds hashes, not the keys.
            try await Task.sleep(for: .milliseconds(1100))
            #expect(try await store.count(["b"], window: .seconds(1)).map(\.attempts) == [1])
            let stored = try await database.withConnection { sql in
                try await sql.raw("SELECT key_hash FROM rate_windows").all().map {
                    try $0.decode(column: "key_hash", as: String.self)
                }
            }
            #expect(Set(stored) == Set(["a", "b", "c"].map(RateWindowStore.hash)))

            try await store.sweep(olderThan: .seconds(60))
            let young = try await database.withConnection { sql in
                try await sql.raw("SELECT count(*) AS n FROM rate_windows").first()?.decode(column: "n", as: Int.self)
            }
            #expect(young == 3, "windows under a minute old stay")
            try await store.sweep(olderThan: .zero)
            let left = try await database.withConnection { sql in
                try await sql.raw("SELECT count(*) AS n FROM rate_windows").first()?.decode(column: "n", as: Int.self)
            }
            #expect(left == 0)
        }
    }
}
