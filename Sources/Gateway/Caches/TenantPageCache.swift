import Metrics
import NIOCore
import PlatformDB
import Synchronization

/// Response bodies of a tenant's list pages, kept until that tenant's data changes.
///
/// It serves only while PostgreSQL's change notifications are subscribed, because they are what
/// tells every instance about a change made anywhere. A write through this instance also drops
/// the tenant's pages at once, so its own caller reads what it wrote.
///
/// A read that a change overtakes is not kept: `lookup` hands out the generation it saw, and
/// `store` keeps the body only if no change arrived since. A change always reaches the cache
/// after its commit, so a body kept is never older than the last change announced.
///
/// Bounded by `budget` bytes (when full, the oldest pages go first) and by `maxAge` as a backstop.
/// After a random 50–75% of `maxAge` a page is still served while one request's read replaces it
/// in the background, so that in steady state no request waits for the database.
/// Entries are reachable only through a ``TenantScope``, so one tenant's page cannot be served to another.
public final class TenantPageCache: Sendable {
    public struct Ticket: Sendable {
        fileprivate let generation: UInt64
    }

    public enum Lookup: Sendable {
        case hit(ByteBuffer)
        /// Serve it, and read the page again in the background, then `store` it with this ticket.
        case refresh(ByteBuffer, Ticket)
        /// Read it, then `store` it with this ticket.
        case miss(Ticket)
        /// Not cached now (notifications not subscribed, or the cache is off): read, do not store.
        case bypass
    }

    private struct Entry {
        var body: ByteBuffer
        var refreshAt: ContinuousClock.Instant
        var expiresAt: ContinuousClock.Instant
        var order: UInt64
        var refreshing = false
    }

    private struct State {
        var serving = false
        var generation: UInt64 = 0
        var pages: [String: [String: Entry]] = [:]
        var bytes = 0
        var order: UInt64 = 0
    }

    let budget: Int
    let maxAge: Duration
    private let state = Mutex(State())
    private let hits = Counter(label: "page_cache_total", dimensions: [("result", "hit")])
    private let misses = Counter(label: "page_cache_total", dimensions: [("result", "miss")])

    /// `budget` is the bytes of bodies kept; 0 turns the cache off.
    public init(budget: Int, maxAge: Duration = .seconds(10)) {
        self.budget = budget
        self.maxAge = maxAge
    }

    /// `now` is a parameter for tests, here and in `store`.
    public func lookup(_ key: String, in scope: TenantScope, now: ContinuousClock.Instant = .now) -> Lookup {
        guard budget > 0 else { return .bypass }
        let found: Lookup = state.withLock { state in
            guard state.serving else { return .bypass }
            if let entry = state.pages[scope.tenantID]?[key], now < entry.expiresAt {
                guard now >= entry.refreshAt, !entry.refreshing else { return .hit(entry.body) }
                state.pages[scope.tenantID]?[key]?.refreshing = true
                return .refresh(entry.body, Ticket(generation: state.generation))
            }
            return .miss(Ticket(generation: state.generation))
        }
        switch found {
        case .hit, .refresh: hits.increment()
        case .miss: misses.increment()
        case .bypass: break
        }
        return found
    }

    public func store(
        _ body: ByteBuffer, for key: String, in scope: TenantScope, ticket: Ticket, now: ContinuousClock.Instant = .now
    ) {
        let size = body.readableBytes + key.utf8.count
        guard size <= budget / 16 else { return }
        state.withLock { state in
            guard state.serving, state.generation == ticket.generation else { return }
            if let old = state.pages[scope.tenantID]?[key] { state.bytes -= old.body.readableBytes + key.utf8.count }
            state.order += 1
            state.pages[scope.tenantID, default: [:]][key] = Entry(
                body: body, refreshAt: now + maxAge * Double.random(in: 0.5...0.75), expiresAt: now + maxAge,
                order: state.order)
            state.bytes += size
            if state.bytes > budget { Self.evict(&state, below: budget * 3 / 4) }
        }
    }

    /// Drops every page of `tenantID`; `nil` drops every tenant's.
    public func invalidate(tenantID: String?) {
        state.withLock { state in
            state.generation &+= 1
            if let tenantID {
                guard let removed = state.pages.removeValue(forKey: tenantID) else { return }
                state.bytes -= removed.reduce(0) { $0 + $1.value.body.readableBytes + $1.key.utf8.count }
            } else {
                state.pages.removeAll()
                state.bytes = 0
            }
        }
    }

    /// The drop of every page of `scope`'s tenant after a write through this instance.
    public func invalidate(_ scope: TenantScope) { invalidate(tenantID: scope.tenantID) }

    /// Serves from the moment notifications are subscribed; drops everything when they are lost,
    /// since a change could then pass unannounced.
    func setSubscribed(_ subscribed: Bool) {
        state.withLock { state in
            state.serving = subscribed
            state.generation &+= 1
            state.pages.removeAll()
            state.bytes = 0
        }
    }

    /// Bytes of bodies and keys kept (tests, metrics).
    var bytes: Int { state.withLock { $0.bytes } }

    private static func evict(_ state: inout State, below target: Int) {
        var all: [(tenant: String, key: String, order: UInt64, size: Int)] = []
        for (tenant, pages) in state.pages {
            for (key, entry) in pages {
                all.append((tenant, key, entry.order, entry.body.readableBytes + key.utf8.count))
            }
        }
        all.sort { $0.order < $1.order }
        for oldest in all where state.bytes > target {
            state.pages[oldest.tenant]?[oldest.key] = nil
            if state.pages[oldest.tenant]?.isEmpty == true { state.pages[oldest.tenant] = nil }
            state.bytes -= oldest.size
        }
    }
}
