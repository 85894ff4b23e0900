import Foundation
import Logging
import Metrics
import PlatformDB
import ServiceLifecycle
import Synchronization

/// Applies inbox events at once and in order of arrival, retrying failures with backoff and
/// parking an event as FAILED after `maxAttempts`. Safe with several gateways on one PostgreSQL.
/// Caches and sessions are updated only once what changed is committed.
final class WebhookWorker: Service, Sendable {
    let inbox: WebhookInbox
    let store: UserSyncStore
    /// Frees an email a stale row holds when an event's user claims it; nil lets the collision fail the event.
    let ownership: EmailOwnership?
    /// Ends or restores sessions the events say so of; nil when the gateway checks no tokens.
    let revocations: RevocationList?
    /// Drops the cached contexts of the users the events changed.
    let loader: UserContextLoader?
    let maxAttempts: Int
    let batchSize: Int
    let concurrency: Int
    let logger: Logger
    private let signals: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    /// When this instance's workers last moved: found nothing due, or finished a batch or an event.
    private let lastProgress = Mutex(ContinuousClock.now)

    /// How long this instance's workers have not moved (readiness: a stalled inbox is one whose
    /// due events wait while this instance's workers stand still, not merely a long shared queue).
    var standingStill: Duration { ContinuousClock.now - lastProgress.withLock { $0 } }

    private func moved() { lastProgress.withLock { $0 = .now } }

    init(
        inbox: WebhookInbox, store: UserSyncStore, ownership: EmailOwnership? = nil, revocations: RevocationList? = nil,
        loader: UserContextLoader? = nil, maxAttempts: Int = 8, batchSize: Int = 200, concurrency: Int = 1,
        logger: Logger
    ) {
        self.inbox = inbox
        self.store = store
        self.ownership = ownership
        self.revocations = revocations
        self.loader = loader
        self.maxAttempts = maxAttempts
        self.batchSize = batchSize
        self.concurrency = max(1, concurrency)
        self.logger = logger
        (signals, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks the worker to look at the inbox now.
    func wake() { continuation.yield() }

    func run() async throws {
        // Wake at least every second, for retries that come due and events another instance stored;
        // the backlog gauge is refreshed on the same beat.
        let backlog = Gauge(label: "webhook_inbox_backlog")
        let oldestAge = Gauge(label: "webhook_inbox_oldest_pending_seconds")
        let ticker = Task { [inbox] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                if let (pending, oldest) = try? await inbox.backlog() {
                    backlog.record(pending)
                    oldestAge.record(oldest.map { max(0, Date().timeIntervalSince($0)) } ?? 0)
                }
                continuation.yield()
            }
        }
        defer { ticker.cancel() }
        for await _ in signals.cancelOnGracefulShutdown() {
            await drain()
        }
    }

    /// Applies every due event with `concurrency` workers, each claiming its own batches (on
    /// PostgreSQL, `FOR UPDATE SKIP LOCKED` keeps them apart; per-user locks taken in one order
    /// keep one user's events serial). Applying is bound by round trips, not CPU, so workers in
    /// parallel multiply the rate.
    func drain() async {
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<concurrency { group.addTask { await self.drainOne() } }
        }
    }

    /// One worker: applies due events of `batchSize` in one transaction each (one commit and a
    /// handful of statements for the batch, not ten round trips per event); the inbox applies a
    /// failed batch again one event at a time, so that only the bad event waits for its retry.
    private func drainOne() async {
        let (store, ownership) = (self.store, self.ownership)
        while !Task.isCancelled {
            do {
                let processed = try await inbox.process(
                    limit: batchSize, maxAttempts: maxAttempts, prepare: { try await store.lock($0, on: $1) }
                ) { events, sql in
                    guard let ownership else { return try await store.apply(events, on: sql) }
                    return try await ownership.writing(Self.claims(events), on: sql) {
                        try await store.apply(events, on: sql)
                    }
                }
                moved()
                if processed.isEmpty { return }
                var changes = UserSyncStore.Changes()
                for outcome in processed.outcomes { changes.merge(outcome) }
                afterCommit(changes)
                for (event, count) in Self.counts(processed.applied) {
                    Counter(label: "webhook_events_total", dimensions: [("event", event), ("outcome", "applied")])
                        .increment(by: count)
                }
                for (event, count) in Self.counts(processed.failed) {
                    Counter(label: "webhook_events_total", dimensions: [("event", event), ("outcome", "retry")])
                        .increment(by: count)
                }
                if !processed.failed.isEmpty {
                    logger.warning(
                        "webhook events failed; retried later or parked",
                        metadata: ["failed": "\(processed.failed.count)"])
                }
            } catch {
                logger.error("webhook inbox unavailable", metadata: ["error": "\(error)"])
                return
            }
        }
    }

    /// Each event's claim to its user's email: a webhook may come late or be replayed, so the
    /// claim is checked with Authorizer before a holder is freed (``EmailOwnership``).
    private static func claims(_ events: [UserSyncStore.Received]) -> [EmailOwnership.Claim] {
        events.compactMap { received in
            received.event.user.email.map { (authorizerID: received.event.user.id, email: $0) }
        }
    }

    /// What committed changes mean for this instance: sessions ended or restored, cached users dropped.
    private func afterCommit(_ changes: UserSyncStore.Changes) {
        for (id, ended) in changes.sessionsEnded {
            if ended { revocations?.revoke(user: id) } else { revocations?.restore(user: id) }
        }
        for id in changes.touched { loader?.invalidate(authorizerID: id) }
    }

    private static func counts(_ names: [String]) -> [String: Int] {
        names.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }
}
