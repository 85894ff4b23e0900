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
    /// How long an applied event keeps its body (personal data); nil keeps it for ever. Checked
    /// at start and hourly, a thousand rows at a time.
    let bodyRetention: Duration?
    private let signals: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    /// When this instance's workers last moved: found nothing due, or finished a batch or an event.
    private let lastProgress = Mutex(ContinuousClock.now)

    /// How long this instance's workers have not moved (readiness: a stalled inbox is one whose
    /// due events wait while this instance's workers stand still, not merely a long shared queue).
    var standingStill: Duration { ContinuousClock.now - lastProgress.withLock { $0 } }

    private func moved() { lastProgress.withLock { $0 = .now } }

    /// Events parked as FAILED at the last beat (the `webhook_inbox_failed` gauge; `/readyz` reads
    /// it rather than counting again).
    var parkedEvents: Int { parked.withLock { $0 } }
    private let parked = Mutex(0)

    init(
        inbox: WebhookInbox, store: UserSyncStore, ownership: EmailOwnership? = nil, revocations: RevocationList? = nil,
        loader: UserContextLoader? = nil, maxAttempts: Int = 8, batchSize: Int = 200, concurrency: Int = 1,
        bodyRetention: Duration? = .seconds(30 * 86_400), logger: Logger
    ) {
        self.bodyRetention = bodyRetention
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
        let failed = Gauge(label: "webhook_inbox_failed")
        // Retention runs apart, at start and hourly, so that a long first prune never holds up the beat.
        let pruner = Task { [inbox, bodyRetention, logger] in
            guard let bodyRetention else { return }
            while !Task.isCancelled {
                await Self.prune(inbox, olderThan: bodyRetention, logger: logger)
                try? await Task.sleep(for: .seconds(3600))
            }
        }
        defer { pruner.cancel() }
        let ticker = Task { [inbox, self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                if let (pending, oldest) = try? await inbox.backlog() {
                    backlog.record(pending)
                    oldestAge.record(oldest.map { max(0, Date().timeIntervalSince($0)) } ?? 0)
                }
                if let count = try? await inbox.failedCount() {
                    failed.record(count)
                    self.parked.withLock { $0 = count }
                }
                continuation.yield()
            }
        }
        defer { ticker.cancel() }
        for await _ in signals.cancelOnGracefulShutdown() {
            await drain()
        }
    }

    /// Blanks the bodies of events applied longer than `age` ago, a thousand at a time.
    static func prune(_ inbox: WebhookInbox, olderThan age: Duration, logger: Logger) async {
        let cutoff = Date().addingTimeInterval(-Double(age.components.seconds))
        var total = 0
        while !Task.isCancelled, let pruned = try? await inbox.pruneBodies(appliedBefore: cutoff), pruned > 0 {
            total += pruned
            if pruned < 1000 { break }
        }
        if total > 0 { logger.info("pruned applied webhook bodies", metadata: ["events": "\(total)"]) }
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
                logger.error("webhook inbox unavailable", metadata: ["error": "\(PlatformDBError.describe(error))"])
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
