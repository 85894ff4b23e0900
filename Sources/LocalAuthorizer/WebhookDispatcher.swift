import AsyncHTTPClient
import AuthorizerClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PlatformDB
import ServiceLifecycle

/// Delivers webhook events as Authorizer does: one attempt, a timeout, no retries, and a line in
/// the webhook log. Deliveries run in the background, so the request that caused them does not wait.
final class WebhookDispatcher: Service, Sendable {
    /// The events this server fires, with the descriptions Authorizer puts in the body.
    static let events: [String: String] = [
        "user.signup": "user signup",
        "user.created": "user created",
        "user.login": "user login",
        "user.deleted": "user deleted",
        "user.deactivated": "user deactivated",
        "user.access_revoked": "user access revoked",
        "user.access_enabled": "user access enabled",
    ]

    private struct Delivery: Sendable {
        var webhook: WebhookConfig
        var body: Data
    }

    private let store: AuthorizerStore
    private let clientSecret: String
    private let timeout: TimeAmount
    private let logger: Logger
    private let stream: AsyncStream<Delivery>
    private let continuation: AsyncStream<Delivery>.Continuation

    init(store: AuthorizerStore, clientSecret: String, timeoutSeconds: Int64, logger: Logger) {
        self.store = store
        self.clientSecret = clientSecret
        self.timeout = .seconds(timeoutSeconds)
        self.logger = logger
        (stream, continuation) = AsyncStream.makeStream(of: Delivery.self)
    }

    /// Queues `event` about `user` for every enabled webhook configured for it.
    func fire(_ event: String, user: AuthorizerUser) async {
        let webhooks: [WebhookConfig]
        do {
            webhooks = try await store.webhooks().filter { $0.enabled && $0.baseEventName == event }
        } catch {
            logger.error("cannot read webhooks", metadata: ["error": "\(error)"])
            return
        }
        for webhook in webhooks {
            var envelope: [String: JSONValue] = [
                "event_name": .string(event),
                "event_description": .string(webhook.eventDescription ?? Self.events[event] ?? event),
                "user": .object(user.webhookValue),
                "webhook_id": .string(webhook.id),
            ]
            if event == "user.login" || event == "user.signup" { envelope["auth_recipe"] = .string("basic_auth") }
            guard let body = try? GoJSON.encode(envelope) else { continue }
            continuation.yield(Delivery(webhook: webhook, body: body))
        }
    }

    func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            for await delivery in stream.cancelOnGracefulShutdown() {
                group.addTask { await self.deliver(delivery) }
            }
        }
    }

    private func deliver(_ delivery: Delivery) async {
        var request = HTTPClientRequest(url: delivery.webhook.endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in delivery.webhook.headers { request.headers.add(name: name, value: value) }
        request.headers.replaceOrAdd(
            name: WebhookSignature.headerName, value: WebhookSignature.sign(delivery.body, secret: clientSecret))
        request.body = .bytes(ByteBuffer(bytes: delivery.body))
        var status: Int64?
        var responseText = ""
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: timeout)
            status = Int64(response.status.code)
            let body = try await response.body.collect(upTo: 64 * 1024)
            responseText = String(buffer: body)
        } catch {
            responseText = "delivery failed: \(error)"
            logger.warning(
                "webhook delivery failed",
                metadata: ["endpoint": "\(delivery.webhook.endpoint)", "event": "\(delivery.webhook.eventName)"])
        }
        let log = WebhookLog(
            id: Identifier.make(), webhookID: delivery.webhook.id, httpStatus: status,
            request: String(decoding: delivery.body, as: UTF8.self), response: String(responseText.prefix(1000)),
            createdAt: Int64(Date().timeIntervalSince1970))
        try? await store.addWebhookLog(log)
    }
}
