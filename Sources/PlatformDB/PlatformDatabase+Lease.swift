import PostgresNIO
import Synchronization

extension PlatformDatabase {
    /// A connection held for one caller by a task that leased it from the pool, until `release()`.
    struct Lease: Sendable {
        let connection: PostgresConnection
        fileprivate let handover: Handover
        func release() { handover.release() }
    }

    /// Leases a connection, or throws `unavailable` once `timeout` has passed (checked every
    /// 50 ms, so up to 50 ms late). PostgresClient's lease is scoped to a closure and has no
    /// timeout, so a task holds it and hands the connection over; when the wait times out, or the
    /// caller is cancelled, that task is cancelled, which withdraws its request from the pool.
    static func lease(from client: PostgresClient, within timeout: Duration) async throws -> Lease {
        let handover = Handover()
        let holder = Task {
            do {
                try await client.withConnection { connection in await handover.hold(connection) }
            } catch {
                handover.fail(error)
            }
        }
        handover.attach(holder)
        LeaseDeadlines.shared.add(handover, within: timeout)
        defer { LeaseDeadlines.shared.remove(handover) }
        let connection = try await withTaskCancellationHandler {
            try await handover.connection()
        } onCancel: {
            handover.abandon(CancellationError())
        }
        return Lease(connection: connection, handover: handover)
    }
}

/// Where a caller and the task holding its pool lease meet: the connection goes one way, its
/// release the other. Continuations instead of streams: a lease is on every request's path.
final class Handover: Sendable {
    private enum State {
        /// Neither side has arrived with the connection yet; `caller` waits once it asked.
        case pending(caller: UnsafeContinuation<PostgresConnection, any Error>?, holder: Task<Void, Never>?)
        /// The holder has the connection and the caller has not asked for it yet.
        case offered(PostgresConnection, release: UnsafeContinuation<Void, Never>)
        /// The caller has the connection; the holder waits for its release.
        case leased(release: UnsafeContinuation<Void, Never>)
        case released
        /// The lease failed, timed out or was cancelled before a connection came.
        case failed(any Error)
    }

    private enum Step {
        case none
        case giveCaller(UnsafeContinuation<PostgresConnection, any Error>, PostgresConnection)
        case failCaller(UnsafeContinuation<PostgresConnection, any Error>?, any Error, Task<Void, Never>?)
        case release(UnsafeContinuation<Void, Never>)
    }

    private let state = Mutex(State.pending(caller: nil, holder: nil))

    func attach(_ holder: Task<Void, Never>) {
        let cancel = state.withLock { state -> Bool in
            guard case .pending(let caller, nil) = state else {
                if case .failed = state { return true }
                return false
            }
            state = .pending(caller: caller, holder: holder)
            return false
        }
        if cancel { holder.cancel() }
    }

    /// The holder's side: offers `connection` and waits until the caller releases it; returns at
    /// once when the caller has given up, so that the connection goes back to the pool.
    func hold(_ connection: PostgresConnection) async {
        await withUnsafeContinuation { (release: UnsafeContinuation<Void, Never>) in
            let step = state.withLock { state -> Step in
                switch state {
                case .pending(let caller?, _):
                    state = .leased(release: release)
                    return .giveCaller(caller, connection)
                case .pending(nil, _):
                    state = .offered(connection, release: release)
                    return .none
                case .failed, .released, .offered, .leased:
                    return .release(release)
                }
            }
            run(step)
        }
    }

    /// The holder's side: the pool could not lease a connection.
    func fail(_ error: any Error) { abandon(error) }

    /// The caller's side: waits for the connection.
    func connection() async throws -> PostgresConnection {
        try await withUnsafeThrowingContinuation { (caller: UnsafeContinuation<PostgresConnection, any Error>) in
            let step = state.withLock { state -> Step in
                switch state {
                case .pending(nil, let holder):
                    state = .pending(caller: caller, holder: holder)
                    return .none
                case .offered(let connection, let release):
                    state = .leased(release: release)
                    return .giveCaller(caller, connection)
                case .failed(let error):
                    return .failCaller(caller, error, nil)
                case .pending(.some, _), .leased, .released:
                    return .failCaller(
                        caller, PlatformDBError.unavailable("a connection lease was asked for twice"), nil)
                }
            }
            run(step)
        }
    }

    /// Gives up waiting (a timeout, a cancelled caller, a failed lease): the caller, if waiting,
    /// gets `error`, and the holder is cancelled. No effect once the connection was handed over.
    func abandon(_ error: any Error) {
        let step = state.withLock { state -> Step in
            guard case .pending(let caller, let holder) = state else { return .none }
            state = .failed(error)
            return .failCaller(caller, error, holder)
        }
        run(step)
    }

    /// The caller's side: the connection goes back to the pool.
    func release() {
        let step = state.withLock { state -> Step in
            guard case .leased(let release) = state else { return .none }
            state = .released
            return .release(release)
        }
        run(step)
    }

    private func run(_ step: Step) {
        switch step {
        case .none: break
        case .giveCaller(let caller, let connection): caller.resume(returning: connection)
        case .failCaller(let caller, let error, let holder):
            caller?.resume(throwing: error)
            holder?.cancel()
        case .release(let release): release.resume()
        }
    }
}

/// The deadlines of the leases being waited for, swept every 50 ms by one task that runs only
/// while there are some: one timer for all waits instead of a sleeping task per lease.
final class LeaseDeadlines: Sendable {
    static let shared = LeaseDeadlines()

    private struct State {
        var waits: [ObjectIdentifier: (handover: Handover, timeout: Duration, deadline: ContinuousClock.Instant)] = [:]
        var sweeping = false
    }

    private let state = Mutex(State())

    func add(_ handover: Handover, within timeout: Duration) {
        let deadline = ContinuousClock.now + timeout
        let start = state.withLock { state -> Bool in
            state.waits[ObjectIdentifier(handover)] = (handover, timeout, deadline)
            guard !state.sweeping else { return false }
            state.sweeping = true
            return true
        }
        if start { Task.detached { await self.sweep() } }
    }

    func remove(_ handover: Handover) {
        state.withLock { _ = $0.waits.removeValue(forKey: ObjectIdentifier(handover)) }
    }

    private func sweep() async {
        while true {
            try? await Task.sleep(for: .milliseconds(50))
            let now = ContinuousClock.now
            let (due, idle) = state.withLock { state -> ([(handover: Handover, timeout: Duration)], Bool) in
                let due = state.waits.values.filter { $0.deadline <= now }.map {
                    (handover: $0.handover, timeout: $0.timeout)
                }
                for wait in due { state.waits.removeValue(forKey: ObjectIdentifier(wait.handover)) }
                if state.waits.isEmpty { state.sweeping = false }
                return (due, state.waits.isEmpty)
            }
            for wait in due {
                wait.handover.abandon(PlatformDBError.unavailable("no PostgreSQL connection within \(wait.timeout)"))
            }
            if idle { return }
        }
    }
}
