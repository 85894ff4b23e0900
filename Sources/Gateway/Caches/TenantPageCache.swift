import NIOCore
import PlatformDB

/// Response bodies of a tenant's list pages, kept until that tenant's data changes: an
/// ``ExpiringCache`` of bytes, grouped by tenant.
///
/// It serves only while PostgreSQL's change notifications are subscribed, because they are what
/// tells every instance about a change made anywhere. A write through this instance also drops
/// the tenant's pages at once, so its own caller reads what it wrote. A change always reaches the
/// cache after its commit, so a body kept is never older than the last change announced.
/// Entries are reached only through a ``TenantScope``, so one tenant's page cannot be served to another.
typealias TenantPageCache = ExpiringCache<ByteBuffer>

extension ExpiringCache where Value == ByteBuffer {
    /// Pages of at most `budget` bytes in all (a sixteenth of it each), for at most `maxAge`;
    /// `budget` 0 turns the cache off. Off until ``setSubscribed(_:)``.
    convenience init(budget: Int, maxAge: Duration = .seconds(10)) {
        self.init(
            Rules(
                lifetime: maxAge, capacity: budget, cost: { key, body in body.readableBytes + key.utf8.count },
                largestEntry: budget / 16, metric: "page_cache_total"),
            serving: false)
    }

    var budget: Int { rules.capacity }
    /// Bytes of bodies and keys kept (tests, metrics).
    var bytes: Int { cost }

    func lookup(_ key: String, in scope: TenantScope, now: ContinuousClock.Instant = .now) -> Lookup {
        lookup(key, group: scope.tenantID, now: now)
    }

    func store(
        _ body: ByteBuffer, for key: String, in scope: TenantScope, ticket: Ticket, now: ContinuousClock.Instant = .now
    ) {
        store(body, for: key, group: scope.tenantID, ticket: ticket, now: now)
    }

    /// Drops every page of `tenantID`; `nil` drops every tenant's.
    func invalidate(tenantID: String?) { invalidate(group: tenantID) }

    /// The drop of every page of `scope`'s tenant after a write through this instance.
    func invalidate(_ scope: TenantScope) { invalidate(group: scope.tenantID) }

    /// Serves from the moment notifications are subscribed; drops everything when they are lost.
    func setSubscribed(_ subscribed: Bool) { setServing(subscribed) }
}
