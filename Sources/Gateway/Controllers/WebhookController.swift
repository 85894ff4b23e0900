import Crypto
import Foundation
import Hummingbird
import Logging
import Metrics
import PlatformDB

/// Receives Authorizer's webhooks: authenticated on the raw bytes, then stored in the durable
/// inbox before the 2xx, and applied by ``WebhookWorker``.
struct WebhookController: RouteAdding, Sendable {
    let authentication: WebhookAuthentication
    let inbox: WebhookInbox
    let worker: WebhookWorker
    let audit: AuditLog
    let logger: Logger

    static let maxBytes = 1 << 20

    /// Per-event routes (one per event, as 1.x deployments often set them up), and the one URL a real Authorizer is configured with.
    func addRoutes(to routes: RouteGroups) {
        let hooks = routes.open.group("/webhooks/authorizer")
        hooks.post { request, _ in try await receive(request, pathEvent: nil) }
        for (path, event) in [
            ("user-signup", "user.signup"), ("user-updated", "user.updated"), ("user-deleted", "user.deleted"),
            ("user-login", "user.login"),
        ] {
            hooks.post(RouterPath(stringLiteral: path)) { request, _ in try await receive(request, pathEvent: event) }
        }
    }

    struct Accepted: ResponseCodable {
        var status: String
    }

    private func receive(_ request: Request, pathEvent: String?) async throws -> EditedResponse<Accepted> {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: Self.maxBytes)
        } catch {
            throw Problem(.contentTooLarge, type: "body-too-large", title: "Body too large", detail: "at most 1 MiB")
        }
        let body = Data(buffer: buffer)
        let deliveryID: String?
        switch authentication.authenticate(headers: request.headers, body: body) {
        case .success(let id):
            deliveryID = id
        case .failure(let refusal):
            // Nothing from an unauthenticated request is stored but the fact of the refusal.
            logger.warning(
                "webhook refused", metadata: ["reason": "\(refusal.rawValue)", "path": "\(request.uri.path)"])
            Counter(label: "webhook_refused_total", dimensions: [("reason", refusal.rawValue)]).increment()
            try? await audit.record(
                actor: "webhook-sender", action: "webhook.refused", target: request.uri.path, detail: refusal.rawValue)
            throw Problem(
                .unauthorized, type: "webhook-unauthenticated", title: "Webhook not authenticated",
                detail: refusal.rawValue)
        }
        // Stored bodies are read again by the worker; one nested past any Authorizer user's shape
        // is refused now rather than parked later.
        if JSONBody.nesting(of: body).depth > JSONBody.maxDepth + 1 {
            throw Problem.badRequest("the body is nested deeper than \(JSONBody.maxDepth) levels")
        }
        let parsed: UserEvent
        do {
            parsed = try UserEvent(body: body, pathEvent: pathEvent)
        } catch let refusal where refusal.isUnknownEvent {
            throw Problem(
                .unprocessableContent, type: "unknown-event", title: "Unknown event", detail: refusal.description)
        } catch {
            throw Problem.badRequest(error.description, field: error.field)
        }
        let event = parsed.kind.rawValue
        let hash = SHA256.hash(data: body).lowercaseHex
        let stored: Bool
        do {
            stored = try await inbox.accept(
                eventName: event, authorizerID: parsed.user.id, bodyHash: hash,
                dedupeKey: try await dedupeKey(deliveryID: deliveryID, authorizerID: parsed.user.id, bodyHash: hash),
                body: String(decoding: body, as: UTF8.self))
        } catch let error as PlatformDBError {
            throw Problem.from(error)
        }
        worker.wake()
        Counter(
            label: "webhook_events_total",
            dimensions: [("event", event), ("outcome", stored ? "accepted" : "duplicate")]
        ).increment()
        return EditedResponse(
            status: stored ? .accepted : .ok, response: Accepted(status: stored ? "accepted" : "duplicate"))
    }

    /// How long a repeat of a user's newest delivery counts as the same delivery.
    static let repeatWindow: TimeInterval = 5

    /// A delivery with an id is deduplicated by it. Authorizer's carry none, and no timestamp
    /// (`internal/events/events.go`): two logins of an unchanged user, or a revoke after a
    /// revoke-and-enable within one second, are byte-identical real events, and each is applied.
    /// Only a repeat of the user's newest delivery within ``repeatWindow`` is taken as the same
    /// delivery sent twice: applying it again would change nothing.
    private func dedupeKey(deliveryID: String?, authorizerID: String, bodyHash: String) async throws -> String {
        if let deliveryID { return "id:\(deliveryID)" }
        if let latest = try await inbox.latest(authorizerID: authorizerID), latest.bodyHash == bodyHash,
            Date().timeIntervalSince(latest.receivedAt) < Self.repeatWindow
        {
            return latest.dedupeKey
        }
        return "sha256:\(bodyHash):\(Identifier.make())"
    }
}
