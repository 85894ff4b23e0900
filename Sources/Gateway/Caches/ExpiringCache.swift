import Metrics
import Synchronization

/// The gateway's one cache: values by key (within an optional group, such as a tenant), each kept
/// for at most `lifetime`, bounded by a cost. Its users differ only in its rules:
///
/// - user contexts and session checks: a count limit, read through ``value(for:group:read:)``;
/// - workflow list pages: a byte limit, read and stored by the caller (``lookup(_:group:now:)``,
///   ``store(_:for:group:ticket:now:)``), serving only while change notifications arrive.
///
/// - A hit takes a lock and does not suspend.
/// - After a random `refreshAfter` fraction of its lifetime an entry is still served, and one
///   read replaces it: in steady state nobody waits for a read, and entries kept together are not
///   read again together.
/// - A read that an invalidation overtook is not kept: a lookup hands out the generation it saw,
///   and a store keeps the value only if no invalidation came since.
/// - Over `capacity`, the oldest entries go until three quarters of it remain.
final class ExpiringCache<Value: Sendable>: Sendable {
    /// How long entries live, when they are refreshed, and what the cache holds at most.
    struct Rules: Sendable {
        var lifetime: Duration
        /// The fraction of `lifetime` after which a hit also asks for a fresh read; nil: never.
        var refreshAfter: ClosedRange<Double>? = 0.5...0.75
        /// The most total cost kept; 0 keeps nothing.
        var capacity: Int
        /// One entry's cost: 1 (a count limit) unless given, such as the bytes of a page.
        var cost: @Sendable (String, Value) -> Int = { _, _ in 1 }
        /// A value costing more than this is never kept.
        var largestEntry: Int = .max
        /// Counts lookups as `<metric>{result="hit"|"miss"}`.
        var metric: String? = nil
    }

    /// The generation a lookup saw, for the store of what it read.
    struct Ticket: Sendable {
        fileprivate let generation: UInt64
    }

    enum Lookup: Sendable {
        case hit(Value)
        /// Serve it, and read it again, then store it with this ticket.
        case refresh(Value, Ticket)
        /// Read it, then store it with this ticket.
        case miss(Ticket)
        /// Not cached now (the cache is off or not serving): read, and do not store.
        case bypass
    }

    private struct Entry {
        var value: Value
        var cost: Int
        var refreshAt: ContinuousClock.Instant?
        var expiresAt: ContinuousClock.Instant
        var order: UInt64
        var refreshing = false
    }

    private struct State {
        var serving: Bool
        var generation: UInt64 = 0
        var groups: [String: [String: Entry]] = [:]
        var cost = 0
        var order: UInt64 = 0
        /// Reads under way through ``value(for:group:read:)``, shared by the callers that miss together.
        var reading: [String: (id: UInt64, task: Task<Value, any Error>)] = [:]
        var nextRead: UInt64 = 0
    }

    let rules: Rules
    private let state: Mutex<State>
    private let counters: (hit: Counter, miss: Counter)?
    /// Reads started through ``value(for:group:read:)``, for tests.
    let reads = Atomic<Int>(0)

    /// `serving` false keeps the cache off until ``setServing(_:)``.
    init(_ rules: Rules, serving: Bool = true) {
        self.rules = rules
        state = Mutex(State(serving: serving))
        counters = rules.metric.map {
            (Counter(label: $0, dimensions: [("result", "hit")]), Counter(label: $0, dimensions: [("result", "miss")]))
        }
    }

    /// `now` is a parameter for tests, here and in every method that takes it.
    func lookup(_ key: String, group: String = "", now: ContinuousClock.Instant = .now) -> Lookup {
        guard rules.capacity > 0 else { return .bypass }
        let found: Lookup = state.withLock { state in
            guard state.serving else { return .bypass }
            if let entry = state.groups[group]?[key], now < entry.expiresAt {
                guard let refreshAt = entry.refreshAt, now >= refreshAt, !entry.refreshing else {
                    return .hit(entry.value)
                }
                state.groups[group]?[key]?.refreshing = true
                return .refresh(entry.value, Ticket(generation: state.generation))
            }
            return .miss(Ticket(generation: state.generation))
        }
        switch found {
        case .hit, .refresh: counters?.hit.increment()
        case .miss: counters?.miss.increment()
        case .bypass: break
        }
        return found
    }

    /// Keeps `value`, read after a lookup that handed out `ticket`, unless an invalidation came since.
    func store(
        _ value: Value, for key: String, group: String = "", ticket: Ticket, now: ContinuousClock.Instant = .now
    ) {
        let cost = rules.cost(key, value)
        guard cost <= rules.largestEntry, cost <= rules.capacity else { return }
        state.withLock { state in
            guard state.serving, state.generation == ticket.generation else { return }
            if let old = state.groups[group]?[key] { state.cost -= old.cost }
            state.order += 1
            state.groups[group, default: [:]][key] = Entry(
                value: value, cost: cost, refreshAt: rules.refreshAfter.map { now + rules.lifetime * .random(in: $0) },
                expiresAt: now + rules.lifetime, order: state.order)
            state.cost += cost
            if state.cost > rules.capacity { Self.evict(&state, below: rules.capacity * 3 / 4) }
        }
    }

    /// The cached value of `key`, or the value `read` gives, shared with the callers that miss at
    /// the same time. A hit due for refresh starts one read in the background and does not wait.
    func value(
        for key: String, group: String = "", now: ContinuousClock.Instant = .now,
        read: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        switch lookup(key, group: group, now: now) {
        case .hit(let value):
            return value
        case .refresh(let value, let ticket):
            _ = startRead(key, group: group, ticket: ticket, now: now, read)
            return value
        case .miss(let ticket):
            return try await startRead(key, group: group, ticket: ticket, now: now, read).value
        case .bypass:
            return try await read()
        }
    }

    /// The read of `key` under way, or a new one; what it reads is stored with `ticket`.
    private func startRead(
        _ key: String, group: String, ticket: Ticket, now: ContinuousClock.Instant,
        _ read: @escaping @Sendable () async throws -> Value
    ) -> Task<Value, any Error> {
        let readingKey = group + "\u{0}" + key
        return state.withLock { state in
            if let reading = state.reading[readingKey] { return reading.task }
            reads.add(1, ordering: .relaxed)
            state.nextRead &+= 1
            let id = state.nextRead
            let task = Task {
                defer {
                    self.state.withLock { state in
                        if state.reading[readingKey]?.id == id { state.reading[readingKey] = nil }
                        // A refresh that failed, or whose value an invalidation dropped, does not
                        // keep the entry from being refreshed by the next hit.
                        state.groups[group]?[key]?.refreshing = false
                    }
                }
                let value = try await read()
                self.store(value, for: key, group: group, ticket: ticket, now: now)
                return value
            }
            state.reading[readingKey] = (id, task)
            return task
        }
    }

    /// Drops `key`'s entry; a read of it under way is not kept.
    func invalidate(_ key: String, group: String = "") {
        state.withLock { state in
            state.generation &+= 1
            if let removed = state.groups[group]?.removeValue(forKey: key) { state.cost -= removed.cost }
            state.reading[group + "\u{0}" + key] = nil
        }
    }

    /// Drops every entry of `group`, or of every group when nil; no read under way is kept.
    func invalidate(group: String?) {
        state.withLock { state in
            state.generation &+= 1
            state.reading.removeAll()
            guard let group else {
                state.groups.removeAll()
                state.cost = 0
                return
            }
            if let removed = state.groups.removeValue(forKey: group) {
                state.cost -= removed.values.reduce(0) { $0 + $1.cost }
            }
        }
    }

    /// Drops every entry whose value matches; no read under way is kept.
    func invalidate(where matches: (Value) -> Bool) {
        state.withLock { state in
            state.generation &+= 1
            state.reading.removeAll()
            for (group, entries) in state.groups {
                for (key, entry) in entries where matches(entry.value) {
                    state.groups[group]?[key] = nil
                    state.cost -= entry.cost
                }
            }
        }
    }

    /// Serves from now on, or stops serving and drops everything (a change could then pass unannounced).
    func setServing(_ serving: Bool) {
        state.withLock { state in
            state.serving = serving
            state.generation &+= 1
            state.groups.removeAll()
            state.reading.removeAll()
            state.cost = 0
        }
    }

    func contains(_ key: String, group: String = "", now: ContinuousClock.Instant = .now) -> Bool {
        state.withLock { $0.groups[group]?[key].map { now < $0.expiresAt } ?? false }
    }

    /// The total cost kept (tests, metrics).
    var cost: Int { state.withLock { $0.cost } }

    private static func evict(_ state: inout State, below target: Int) {
        var all: [(group: String, key: String, order: UInt64, cost: Int)] = []
        for (group, entries) in state.groups {
            for (key, entry) in entries { all.append((group, key, entry.order, entry.cost)) }
        }
        all.sort { $0.order < $1.order }
        for oldest in all where state.cost > target {
            state.groups[oldest.group]?[oldest.key] = nil
            if state.groups[oldest.group]?.isEmpty == true { state.groups[oldest.group] = nil }
            state.cost -= oldest.cost
        }
    }
}
