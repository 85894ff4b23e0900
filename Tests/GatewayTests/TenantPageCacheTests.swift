import Foundation
import Logging
import NIOCore
import PlatformDB
import Testing

@testable import Gateway

/// The page cache on its own: when it serves, what it keeps and what it refuses to keep.
@Suite struct TenantPageCacheTests {
    /// Scopes of `count` tenants, made the only way scopes are made: from users in a database.
    static func scopes(_ count: Int) async throws -> [TenantScope] {
        try await PlatformDatabase.withOpened(.sqliteMemory, logger: Logger(label: "test.page-cache")) { database in
            try await Migrator().migrate(database)
            var scopes: [TenantScope] = []
            for index in 0..<count {
                _ = try await UserStore(database).create(
                    NewUser(authorizerID: "auth-\(index)", email: "\(index)@example.com"))
                let admin = try await TenantStore(database).createTenant(
                    name: "Tenant \(index)", ownerAuthorizerID: "auth-\(index)")
                scopes.append(try #require(TenantScope.member(admin)))
            }
            return scopes
        }
    }

    static func page(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    static func served(_ cache: TenantPageCache, _ key: String, _ scope: TenantScope) -> String? {
        if case .hit(let body) = cache.lookup(key, in: scope) { return String(buffer: body) }
        return nil
    }

    /// Stores `text` as a page read at `now` would be.
    static func read(
        _ cache: TenantPageCache, _ key: String, _ scope: TenantScope, _ text: String,
        at now: ContinuousClock.Instant = .now
    ) throws {
        guard case .miss(let ticket) = cache.lookup(key, in: scope, now: now) else {
            Issue.record("expected a miss for \(key)")
            return
        }
        cache.store(page(text), for: key, in: scope, ticket: ticket, now: now)
    }

    @Test func servesOnlyWhileSubscribedAndOnlyToItsTenant() async throws {
        let scopes = try await Self.scopes(2)
        let (a, b) = (scopes[0], scopes[1])
        let cache = TenantPageCache(budget: 1 << 20)
        guard case .bypass = cache.lookup("20|||", in: a) else {
            Issue.record("a cache must not serve before notifications are subscribed")
            return
        }
        cache.setSubscribed(true)
        try Self.read(cache, "20|||", a, "page of a")
        #expect(Self.served(cache, "20|||", a) == "page of a")
        #expect(Self.served(cache, "20|||", b) == nil, "another tenant's page was served")
        try Self.read(cache, "20|||", b, "page of b")
        #expect(Self.served(cache, "20|||", b) == "page of b")

        cache.invalidate(a)
        #expect(Self.served(cache, "20|||", a) == nil)
        #expect(Self.served(cache, "20|||", b) == "page of b", "a change to one tenant dropped another's pages")

        cache.setSubscribed(false)
        guard case .bypass = cache.lookup("20|||", in: b) else {
            Issue.record("a cache kept serving after its notifications were lost")
            return
        }
        #expect(cache.bytes == 0)
        cache.setSubscribed(true)
        #expect(Self.served(cache, "20|||", b) == nil, "a page from before the subscription was lost came back")
    }

    @Test func aReadThatAChangeOvertookIsNotKept() async throws {
        let a = try await Self.scopes(1)[0]
        let cache = TenantPageCache(budget: 1 << 20)
        cache.setSubscribed(true)
        guard case .miss(let ticket) = cache.lookup("20|||", in: a) else {
            Issue.record("expected a miss")
            return
        }
        cache.invalidate(tenantID: a.tenantID)  // the change is announced while the page is read
        cache.store(Self.page("read before the change"), for: "20|||", in: a, ticket: ticket)
        #expect(Self.served(cache, "20|||", a) == nil, "a page read before a change was kept after it")
        cache.invalidate(tenantID: nil)  // TRUNCATE: every tenant
        try Self.read(cache, "20|||", a, "read after")
        #expect(Self.served(cache, "20|||", a) == "read after")
    }

    @Test func keepsWithinItsBudgetDroppingTheOldestFirst() async throws {
        let a = try await Self.scopes(1)[0]
        let cache = TenantPageCache(budget: 16_000)
        cache.setSubscribed(true)
        let body = String(repeating: "x", count: 900)
        for index in 0..<40 { try Self.read(cache, "20||\(index)|", a, body) }
        #expect(cache.bytes <= 16_000)
        #expect(Self.served(cache, "20||39|", a) != nil, "the newest page was dropped")
        #expect(Self.served(cache, "20||0|", a) == nil, "the oldest page was kept over the budget")
        // A page over a sixteenth of the budget is never kept.
        try Self.read(cache, "100|||", a, String(repeating: "y", count: 1_001))
        #expect(Self.served(cache, "100|||", a) == nil)
        // Off: never serves.
        let off = TenantPageCache(budget: 0)
        off.setSubscribed(true)
        guard case .bypass = off.lookup("20|||", in: a) else {
            Issue.record("a cache with no budget served")
            return
        }
    }

    /// What a lookup at `offset` after `start` gives: "hit", "refresh <body>", "miss" or "bypass".
    static func outcome(
        _ cache: TenantPageCache, _ scope: TenantScope, at offset: Duration, from start: ContinuousClock.Instant
    ) -> String {
        switch cache.lookup("20|||", in: scope, now: start + offset) {
        case .hit: "hit"
        case .refresh(let body, _): "refresh \(String(buffer: body))"
        case .miss: "miss"
        case .bypass: "bypass"
        }
    }

    @Test func aWornPageIsServedWhileOneRequestReadsItAgainAndNoneIsServedPastItsAge() async throws {
        let a = try await Self.scopes(1)[0]
        let cache = TenantPageCache(budget: 1 << 20, maxAge: .seconds(10))
        cache.setSubscribed(true)
        let start = ContinuousClock.now
        try Self.read(cache, "20|||", a, "old", at: start)
        #expect(Self.outcome(cache, a, at: .seconds(4), from: start) == "hit")
        // Past 75% of its age: handed out once for a refresh, served as it is to the others.
        guard case .refresh(_, let ticket) = cache.lookup("20|||", in: a, now: start + .seconds(8)) else {
            Issue.record("a page past 75% of its age was not handed out for a refresh")
            return
        }
        #expect(
            Self.outcome(cache, a, at: .seconds(8), from: start) == "hit", "a second request was also asked to refresh")
        cache.store(Self.page("new"), for: "20|||", in: a, ticket: ticket, now: start + .seconds(8))
        #expect(Self.served(cache, "20|||", a) == "new")
        #expect(Self.outcome(cache, a, at: .seconds(18) + .milliseconds(1), from: start) == "miss")
    }
}
