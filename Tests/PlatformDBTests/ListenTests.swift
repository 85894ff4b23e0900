import Foundation
import Logging
import PlatformDB
import SQLKit
import Synchronization
import TestSupport
import Testing

/// `listen` tells its caller when notifications can be trusted: a cache that relies on them must
/// stop serving the moment the subscription is lost, since a change could then pass unannounced.
@Suite(.enabled(if: TestPostgres.adminURL != nil)) struct ListenTests {
    @Test(.disabled(if: TestPostgres.pooled, "needs a direct connection: LISTEN outlives a transaction"))
    func aLostSubscriptionIsReportedAndRenewed() async throws {
        try await TestPostgres.shared.withDatabase(migrated: false, test: "aLostSubscriptionIsReportedAndRenewed") {
            url in
            try await PlatformDatabase.withOpened(url, logger: Logger(label: "test.listen")) { database in
                let states = Recorded<Bool>()
                let payloads = Recorded<String>()
                func until(_ condition: () -> Bool) async throws -> Bool {
                    for _ in 0..<250 {
                        if condition() { return true }
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    return false
                }
                func notify(_ payload: String) async throws {
                    try await database.withConnection {
                        try await $0.raw("SELECT pg_notify('test_changes', \(bind: payload))").run()
                    }
                }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        await database.listen(channel: "test_changes", subscribed: { states.append($0) }) { payload in
                            payloads.append(payload)
                        }
                    }
                    defer { group.cancelAll() }
                    #expect(try await until { states.all == [true] })
                    try await notify("one")
                    #expect(try await until { payloads.all == ["one"] })

                    try await TestPostgres.admin(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%test_changes%'"
                    )
                    #expect(try await until { states.all == [true, false, true] }, "\(states.all)")
                    try await notify("two")
                    #expect(try await until { payloads.all == ["one", "two"] })
                }
            }
        }
    }
}

/// Values recorded from other tasks, in order.
final class Recorded<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])
    func append(_ value: Value) { values.withLock { $0.append(value) } }
    var all: [Value] { values.withLock { $0 } }
}
