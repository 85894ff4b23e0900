import Metrics
import Synchronization

/// Values read on demand and kept for at most `lifetime`, for lookups made on every request.
///
/// - A hit takes a lock and does not suspend.
/// - Requests that miss together wait for one read.
/// - After a random 50–75% of its lifetime an entry is still served, and one read in the
///   background replaces it: in steady state no request waits for a read, and entries cached
///   together are not read again together (waves of misses once made most of the cached read's p99).
/// - `invalidate` drops an entry at once, and a read under way when it came is not kept.
final class RefreshingCache<Value: Sendable>: Sendable {
    let lifetime: Duration

    private struct Entry {
        var value: Value
        var refreshAt: ContinuousClock.Instant
        var expiresAt: ContinuousClock.Instant
    }

    private struct Read {
        var id: UInt64
        var task: Task<Value, any Error>
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var reading: [String: Read] = [:]
        /// Bumped by every invalidation: a read that one overtook is not kept.
        var generation: UInt64 = 0
        var nextID: UInt64 = 0
    }

    private enum Step {
        case hit(Value)
        case wait(Task<Value, any Error>)
    }

    private let state = Mutex(State())
    /// Reads started, for tests.
    let reads = Atomic<Int>(0)
    let capacity: Int
    private let counters: (hit: Counter, miss: Counter)?

    /// `metric` names a counter of lookups by `result` (`hit`, or `miss` when the caller waited for a read).
    init(lifetime: Duration, capacity: Int = 100_000, metric: String? = nil) {
        self.lifetime = lifetime
        self.capacity = capacity
        counters = metric.map {
            (Counter(label: $0, dimensions: [("result", "hit")]), Counter(label: $0, dimensions: [("result", "miss")]))
        }
    }

    /// The cached value of `key`, or the value `read` gives (shared with concurrent callers).
    /// `now` is a parameter for tests.
    func value(
        for key: String, now: ContinuousClock.Instant = .now, read: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        let step: Step = state.withLock { state in
            if let entry = state.entries[key], now < entry.expiresAt {
                if now >= entry.refreshAt, state.reading[key] == nil {
                    _ = start(key, read, at: now, in: &state)  // in the background; this request does not wait
                }
                return .hit(entry.value)
            }
            if let reading = state.reading[key] { return .wait(reading.task) }
            return .wait(start(key, read, at: now, in: &state))
        }
        switch step {
        case .hit(let value):
            counters?.hit.increment()
            return value
        case .wait(let task):
            counters?.miss.increment()
            return try await task.value
        }
    }

    /// Starts a read; its entry's lifetime counts from `now`, when it was asked for.
    private func start(
        _ key: String, _ read: @escaping @Sendable () async throws -> Value, at now: ContinuousClock.Instant,
        in state: inout State
    ) -> Task<Value, any Error> {
        state.nextID &+= 1
        let id = state.nextID
        let generation = state.generation
        reads.add(1, ordering: .relaxed)
        let task = Task {
            let result = await Result(catching: read)
            self.state.withLock { state in
                if state.reading[key]?.id == id { state.reading[key] = nil }
                guard case .success(let value) = result, state.generation == generation else { return }
                if state.entries.count >= self.capacity {
                    state.entries = state.entries.filter { now < $0.value.expiresAt }
                    if state.entries.count >= self.capacity { state.entries.removeAll() }
                }
                state.entries[key] = Entry(
                    value: value, refreshAt: now + self.lifetime * Double.random(in: 0.5...0.75),
                    expiresAt: now + self.lifetime)
            }
            return try result.get()
        }
        state.reading[key] = Read(id: id, task: task)
        return task
    }

    /// Drops `key`'s entry; a read of it under way is not kept.
    func invalidate(_ key: String) {
        state.withLock { state in
            state.generation &+= 1
            state.entries[key] = nil
            state.reading[key] = nil
        }
    }

    /// Drops every entry whose value matches, and every read under way (whose value is not known
    /// yet), none of which is kept.
    func invalidate(where matches: (Value) -> Bool) {
        state.withLock { state in
            state.generation &+= 1
            state.entries = state.entries.filter { !matches($0.value.value) }
            state.reading.removeAll()
        }
    }

    func contains(_ key: String, now: ContinuousClock.Instant = .now) -> Bool {
        state.withLock { $0.entries[key].map { now < $0.expiresAt } ?? false }
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
