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
    /// The user events this server fires (Authorizer 2.4's `constants/events.go`, without SCIM).
    static let events: Set<String> = [
        "user.signup", "user.created", "user.login", "user.deleted", "user.deactivated", "user.access_revoked",
        "user.access_enabled",
    ]

    /// The description of a webhook added without one: the event name with its dots turned into
    /// spaces, underscores kept, e.g. `user access_revoked` (`service/admin_webhooks.go`).
    static func defaultDescription(_ event: String) -> String { event.replacingOccurrences(of: ".", with: " ") }

    /// A delivery's body, byte for byte as Authorizer 2.4 writes it (`internal/events/events.go`):
    /// Go's map encoding (keys sorted, HTML characters escaped), `auth_recipe` only for login and
    /// signup, the stored description or the default, and no id or timestamp.
    static func body(event: String, user: AuthorizerUser, webhookID: String, description: String?) throws -> Data {
        var envelope: [String: JSONValue] = [
            "event_name": .string(event),
            "event_description": .string(description ?? defaultDescription(event)),
            "user": .object(user.webhookValue),
            "webhook_id": .string(webhookID),
        ]
        if event == "user.login" || event == "user.signup" { envelope["auth_recipe"] = .string("basic_auth") }
        return try GoJSON.encode(envelope)
    }

    private struct Delivery: Sendable {
        var webhook: WebhookConfig
        var body: Data
        var userID: String
    }

    private let store: AuthorizerStore
    private let clientSecret: String
    private let allowPrivate: Bool
    private let timeout: TimeAmount
    private let logger: Logger
    private let stream: AsyncStream<Delivery>
    private let continuation: AsyncStream<Delivery>.Continuation

    init(store: AuthorizerStore, clientSecret: String, allowPrivate: Bool, timeoutSeconds: Int64, logger: Logger) {
        self.store = store
        self.clientSecret = clientSecret
        self.allowPrivate = allowPrivate
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
            guard
                let body = try? Self.body(
                    event: event, user: user, webhookID: webhook.id, description: webhook.eventDescription)
            else { continue }
            continuation.yield(Delivery(webhook: webhook, body: body, userID: user.id))
        }
    }

    /// One user's deliveries go one after another, in the order they were fired, as Authorizer
    /// sends the events of one action from one goroutine (`internal/events/events.go`); different
    /// users' go at once.
    func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            var last: [String: Task<Void, Never>] = [:]
            for await delivery in stream.cancelOnGracefulShutdown() {
                let before = last[delivery.userID]
                let task = Task {
                    await before?.value
                    await self.deliver(delivery)
                }
                last[delivery.userID] = task
                if last.count > 10_000 { last = [delivery.userID: task] }  // older chains have long finished
                group.addTask { await task.value }
            }
        }
    }

    private func deliver(_ delivery: Delivery) async {
        // events.go: the endpoint is checked again at delivery; a refusal is logged with status 0.
        if let reason = await EndpointPolicy.refusal(delivery.webhook.endpoint, allowPrivate: allowPrivate) {
            let log = WebhookLog(
                id: Identifier.make(), webhookID: delivery.webhook.id, httpStatus: 0,
                request: String(decoding: delivery.body, as: UTF8.self),
                response: EndpointPolicy.deliveryRefusal(reason),
                createdAt: Int64(Date().timeIntervalSince1970))
            try? await store.addWebhookLog(log)
            return
        }
        var request = HTTPClientRequest(url: delivery.webhook.endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(
            name: WebhookSignature.headerName, value: WebhookSignature.sign(delivery.body, secret: clientSecret))
        // Configured headers come last and replace any of the same name (events.go, Header.Set).
        for (name, value) in delivery.webhook.headers { request.headers.replaceOrAdd(name: name, value: value) }
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
