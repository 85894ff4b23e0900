import Foundation
import Logging
import Metrics
import PlatformDB
import ServiceLifecycle

/// Applies inbox events at once and in order of arrival, retrying failures with backoff and
/// parking an event as FAILED after `maxAttempts`. Safe with several gateways on one PostgreSQL.
final class WebhookWorker: Service, Sendable {
    let inbox: WebhookInbox
    let sync: UserSyncService
    let maxAttempts: Int
    let logger: Logger
    private let signals: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init(inbox: WebhookInbox, sync: UserSyncService, maxAttempts: Int = 8, logger: Logger) {
        self.inbox = inbox
        self.sync = sync
        self.maxAttempts = maxAttempts
        self.logger = logger
        (signals, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks the worker to look at the inbox now.
    func wake() { continuation.yield() }

    func run() async throws {
        // Wake at least every second, for retries that come due and events another instance stored;
        // the backlog gauge is refreshed on the same beat.
        let backlog = Gauge(label: "webhook_inbox_backlog")
        let ticker = Task { [inbox] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                if let pending = try? await inbox.pendingCount() { backlog.record(pending) }
                continuation.yield()
            }
        }
        defer { ticker.cancel() }
        for await _ in signals.cancelOnGracefulShutdown() {
            await drain()
        }
    }

    /// Applies every due event.
    func drain() async {
        let sync = self.sync
        while !Task.isCancelled {
            do {
                let found = try await inbox.processNext(maxAttempts: maxAttempts) { event, sql in
                    do {
                        try await sync.apply(event, on: sql)
                        Counter(label: "webhook_events_total", dimensions: [("event", event.eventName), ("outcome", "applied")]).increment()
                    } catch {
                        Counter(label: "webhook_events_total", dimensions: [("event", event.eventName), ("outcome", "retry")]).increment()
                        throw error
                    }
                }
                if !found { return }
            } catch {
                logger.error("webhook inbox unavailable", metadata: ["error": "\(error)"])
                return
            }
        }
    }
}
