import Foundation
import Logging
import Metrics
import PlatformDB
import ServiceLifecycle
import Synchronization

/// Applies inbox events at once and in order of arrival, retrying failures with backoff and
/// parking an event as FAILED after `maxAttempts`. Safe with several gateways on one PostgreSQL.
final class WebhookWorker: Service, Sendable {
    let inbox: WebhookInbox
    let sync: UserSyncService
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
        inbox: WebhookInbox, sync: UserSyncService, maxAttempts: Int = 8, batchSize: Int = 200, concurrency: Int = 1, logger: Logger
    ) {
        self.inbox = inbox
        self.sync = sync
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
    /// handful of statements for the batch, not ten round trips per event); a batch that fails is
    /// applied again one event at a time, so that only the bad event waits for its retry.
    private func drainOne() async {
        let sync = self.sync
        while !Task.isCancelled {
            do {
                let batch = try await inbox.processBatch(limit: batchSize) { events, sql in
                    try await sync.apply(events, on: sql)
                }
                moved()
                switch batch {
                case .success(let applied) where applied.isEmpty:
                    return
                case .success(let applied):
                    for (event, count) in Self.counts(applied) {
                        Counter(label: "webhook_events_total", dimensions: [("event", event), ("outcome", "applied")]).increment(by: count)
                    }
                    continue
                case .failure(let error):
                    logger.warning("webhook batch failed; applying its events one at a time", metadata: ["error": "\(error)"])
                }
                for _ in 0..<batchSize {
                    if try await !processNext() { return }
                    moved()
                }
            } catch {
                logger.error("webhook inbox unavailable", metadata: ["error": "\(error)"])
                return
            }
        }
    }

    /// The oldest due event alone; false when none is due.
    private func processNext() async throws -> Bool {
        let sync = self.sync
        return try await inbox.processNext(maxAttempts: maxAttempts) { event, sql in
            do {
                try await sync.apply(event, on: sql)
                Counter(label: "webhook_events_total", dimensions: [("event", event.eventName), ("outcome", "applied")]).increment()
            } catch {
                Counter(label: "webhook_events_total", dimensions: [("event", event.eventName), ("outcome", "retry")]).increment()
                throw error
            }
        }
    }

    private static func counts(_ names: [String]) -> [String: Int] {
        names.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }
}
