import AuthorizerClient
import Foundation
import Logging
import PlatformDB
import Synchronization
import Testing

@testable import Gateway

/// The user-context cache in front of every request.
@Suite struct UserContextLoaderTests {
    @Test func requestsThatMissTogetherShareOneReadAndAChangeIsReadAgain() async throws {
        let logger = Logger(label: "test.loader")
        try await PlatformDatabase.withOpened(.sqliteMemory, logger: logger) { database in
            try await Migrator().migrate(database)
            _ = try await UserStore(database).create(NewUser(authorizerID: "auth-1", email: "one@example.com"))
            _ = try await TenantStore(database).createTenant(name: "One", ownerAuthorizerID: "auth-1")
            let loader = UserContextLoader(
                users: UserStore(database), tenants: TenantStore(database),
                client: AuthorizerClient(
                    configuration: .init(url: "http://127.0.0.1:9", clientID: "unused"), version: .v2),
                ttl: .seconds(60), roles: RoleMapping(), logger: logger)
            let token = try VerifiedToken(claims: [
                "sub": .string("auth-1"), "exp": .double(Date().timeIntervalSince1970 + 600),
            ])
            let identity = Identity(accessToken: "unused", token: token)

            let tenants = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<50 { group.addTask { try await loader.context(for: identity).tenant?.name } }
                return try await group.reduce(into: [String?]()) { $0.append($1) }
            }
            #expect(tenants == Array(repeating: "One", count: 50))
            #expect(
                loader.cache.reads.load(ordering: .relaxed) == 1,
                "50 requests that missed together read the user \(loader.cache.reads.load(ordering: .relaxed)) times")
            _ = try await loader.context(for: identity)
            #expect(loader.cache.reads.load(ordering: .relaxed) == 1)

            loader.invalidate(authorizerID: "auth-1")
            #expect(!loader.isCached("auth-1"))
            _ = try await loader.context(for: identity)
            #expect(loader.cache.reads.load(ordering: .relaxed) == 2)
        }
    }
}

/// The cache behind the user context and hybrid's session checks.
@Suite struct ExpiringCacheTests {
    final class Source: Sendable {
        let value = Mutex("v1")
        func read() -> String { value.withLock { $0 } }
    }

    @Test func aWornEntryIsServedWhileOneReadReplacesItInTheBackground() async throws {
        let cache = ExpiringCache<String>(.init(lifetime: .seconds(10), capacity: 100))
        let source = Source()
        let start = ContinuousClock.now
        func value(at offset: Duration) async throws -> String {
            try await cache.value(for: "k", now: start + offset) { source.read() }
        }
        #expect(try await value(at: .zero) == "v1")
        source.value.withLock { $0 = "v2" }
        #expect(try await value(at: .seconds(4)) == "v1")
        #expect(cache.reads.load(ordering: .relaxed) == 1)

        // Past 75% of its lifetime: still served at once, and read again behind it, once.
        #expect(try await value(at: .seconds(8)) == "v1")
        var refreshed = false
        for _ in 0..<100 where !refreshed {
            refreshed = try await value(at: .milliseconds(8_001)) == "v2"
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(refreshed)
        #expect(cache.reads.load(ordering: .relaxed) == 2)

        // Past its lifetime (counted from the refresh, asked for at 8 s), a caller waits for a read.
        source.value.withLock { $0 = "v3" }
        #expect(try await value(at: .seconds(18) + .milliseconds(1)) == "v3")
        #expect(cache.reads.load(ordering: .relaxed) == 3)

        // A change drops the entry: the next caller waits for a read.
        source.value.withLock { $0 = "v4" }
        cache.invalidate("k")
        #expect(try await value(at: .seconds(18) + .milliseconds(2)) == "v4")
        #expect(cache.reads.load(ordering: .relaxed) == 4)
    }

    @Test func aReadThatFailsIsNotKept() async throws {
        struct Failure: Error {}
        let cache = ExpiringCache<String>(.init(lifetime: .seconds(60), capacity: 100))
        await #expect(throws: Failure.self) { try await cache.value(for: "k") { throw Failure() } }
        #expect(!cache.contains("k"))
        #expect(try await cache.value(for: "k") { "ok" } == "ok")
    }

    /// Over its capacity the oldest entries go, to three quarters of it, for a count limit as for
    /// the page cache's byte budget: the newest stay.
    @Test func overCapacityTheOldestEntriesGoFirst() async throws {
        let cache = ExpiringCache<String>(.init(lifetime: .seconds(60), capacity: 8))
        for index in 0..<9 { _ = try await cache.value(for: "k\(index)") { "v\(index)" } }
        #expect(cache.cost == 6)
        #expect(!cache.contains("k0") && !cache.contains("k2"))
        #expect(cache.contains("k3") && cache.contains("k8"))
    }

    /// A background refresh that fails leaves the entry served, and the next hit tries again
    /// (the review found the entry marked as refreshing until it expired).
    @Test func aFailedRefreshIsTriedAgainByTheNextHit() async throws {
        struct Failure: Error {}
        let cache = ExpiringCache<String>(.init(lifetime: .seconds(10), capacity: 100))
        let start = ContinuousClock.now
        _ = try await cache.value(for: "k", now: start) { "v1" }
        #expect(try await cache.value(for: "k", now: start + .seconds(8)) { throw Failure() } == "v1")
        for _ in 0..<200 where cache.reads.load(ordering: .relaxed) < 2 { try await Task.sleep(for: .milliseconds(5)) }
        try await Task.sleep(for: .milliseconds(20))
        var refreshed = false
        for _ in 0..<100 where !refreshed {
            refreshed = try await cache.value(for: "k", now: start + .seconds(8) + .milliseconds(1)) { "v2" } == "v2"
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(refreshed, "the entry was refreshed after the failed read")
    }
}
