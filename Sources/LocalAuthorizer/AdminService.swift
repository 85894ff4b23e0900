import Foundation
import GraphQL
import PlatformDB

/// The `_` operations, allowed with the admin secret only.
struct AdminService: Sendable {
    let configuration: AuthorizerConfiguration
    let store: AuthorizerStore
    let webhooks: WebhookDispatcher

    var now: Int64 { Int64(Date().timeIntervalSince1970) }

    struct Page: Sendable {
        var limit: Int
        var page: Int
        var offset: Int { (page &- 1) &* limit }
        /// The rows gorm asks for: a negative limit is none, an offset of 0 or less is none.
        var rowLimit: Int { limit < 0 ? Int(Int64.max) : limit }
        var rowOffset: Int { max(0, offset) }

        /// What `utils/pagination.go` takes: 10 a page and page 1 by default, and no bound at all
        /// (the offset is Go's int64 arithmetic, wrapping).
        init(_ args: Map) {
            limit = args["limit"].int ?? 10
            page = args["page"].int ?? 1
        }

        func graphQLValue(total: Int) -> [String: any Sendable] {
            ["limit": limit, "page": page, "offset": offset, "total": total]
        }
    }

    func users(page: Page, query: String?) async throws -> [String: any Sendable] {
        let (users, total) = try await store.users(limit: page.rowLimit, offset: page.rowOffset, query: query)
        return ["pagination": page.graphQLValue(total: total), "users": users.map(\.graphQLValue)]
    }

    func user(id: String?, email: String?) async throws -> AuthorizerUser {
        let found: AuthorizerUser?
        if let id, !id.isEmpty {
            found = try await store.user(id: id)
        } else if let email, !email.isEmpty {
            found = try await store.user(email: email)
        } else {
            throw AuthorizerError.invalid("invalid params, user id or email is required")
        }
        guard let found else { throw AuthorizerError.userNotFound }
        return found
    }

    func updateUser(_ params: Map) async throws -> AuthorizerUser {
        guard let id = params["id"].string else { throw AuthorizerError.invalid("id is required") }
        var user = try await user(id: id, email: nil)
        try user.applyProfile(params)
        if case .bool(let verified) = params["email_verified"] {
            user.emailVerifiedAt = verified ? (user.emailVerifiedAt ?? now) : nil
        }
        if case .array(let roles) = params["roles"] {
            let names = roles.compactMap(\.string)
            guard !names.isEmpty, names.allSatisfy(configuration.roles.contains) else {
                throw AuthorizerError.invalid("invalid roles")
            }
            user.roles = names
        }
        user.updatedAt = now
        try await store.saveProfile(user)
        return user
    }

    func deleteUser(id: String) async throws {
        let user = try await user(id: id, email: nil)
        try await store.deleteUser(id: user.id)
        await webhooks.fire("user.deleted", user: user)
    }

    /// Revokes or restores access; revoking ends every session at once.
    func setAccess(userID: String, revoked: Bool) async throws {
        var user = try await user(id: userID, email: nil)
        user.revokedTimestamp = revoked ? now : nil
        user.updatedAt = now
        try await store.update(user)
        if revoked { try await store.deleteSessions(userID: user.id) }
        await webhooks.fire(revoked ? "user.access_revoked" : "user.access_enabled", user: user)
    }

    func addWebhook(_ params: Map, id: String? = nil, createdAt: Int64? = nil, exactName: Bool = false) async throws {
        guard let event = params["event_name"].string, let endpoint = params["endpoint"].string,
            case .bool(let enabled) = params["enabled"]
        else { throw AuthorizerError.invalid("event_name, endpoint and enabled are required") }
        let base = event.split(separator: "-").first.map(String.init) ?? event
        guard WebhookDispatcher.events.contains(base) else {
            throw AuthorizerError.invalid("invalid event name \(event)")
        }
        // admin_webhooks.go: `invalid endpoint: <reason>`; loopback and private addresses only with --env=e2e.
        if let reason = await EndpointPolicy.refusal(endpoint, allowPrivate: configuration.allowsPrivateWebhooks) {
            throw AuthorizerError.invalid("invalid endpoint: \(reason)")
        }
        var headers: [String: String] = [:]
        if case .dictionary(let map) = params["headers"] {
            for (key, value) in map { headers[key] = value.string ?? "" }
        }
        // Several configurations of one event are stored as `event-<unix time>`, as Authorizer does.
        let taken = try await store.webhooks().contains { $0.eventName == event }
        let name = taken && !exactName ? "\(base)-\(now)" : event
        var webhook = WebhookConfig(
            eventName: name, eventDescription: params["event_description"].string, endpoint: endpoint,
            enabled: enabled, headers: headers, now: now)
        if let id { webhook.id = id }
        if let createdAt { webhook.createdAt = createdAt }
        try await store.addWebhook(webhook)
    }

    func updateWebhook(_ params: Map) async throws {
        guard let id = params["id"].string, let existing = try await store.webhook(id: id) else {
            throw AuthorizerError(message: "webhook not found", code: .notFound)
        }
        var headers: Map = .null
        if case .dictionary = params["headers"] {
            headers = params["headers"]
        } else {
            headers = .dictionary(.init(uniqueKeysWithValues: existing.headers.map { ($0.key, Map.string($0.value)) }))
        }
        let merged: Map = [
            "event_name": .string(params["event_name"].string ?? existing.eventName),
            "event_description": params["event_description"].string.map(Map.string) ?? existing.eventDescription.map(
                Map.string) ?? .null,
            "endpoint": .string(params["endpoint"].string ?? existing.endpoint),
            "enabled": .bool(params["enabled"].bool ?? existing.enabled),
            "headers": headers,
        ]
        // Validated exactly as a new one; the id and creation time are kept.
        try await store.deleteWebhook(id: id)
        try await addWebhook(merged, id: id, createdAt: existing.createdAt, exactName: true)
    }

    /// Subscribes `endpoint` to every event unless it already is (the `--webhook` flag); an
    /// endpoint Authorizer would refuse stops the start.
    func subscribeToEveryEvent(_ endpoint: String) async throws {
        if let reason = await EndpointPolicy.refusal(endpoint, allowPrivate: configuration.allowsPrivateWebhooks) {
            throw AuthorizerSetupError(
                "--webhook \(endpoint): \(reason); Authorizer 2.4 allows loopback and private addresses only with --env e2e"
            )
        }
        let existing = try await store.webhooks()
        for event in WebhookDispatcher.events.sorted()
        where !existing.contains(where: { $0.baseEventName == event && $0.endpoint == endpoint }) {
            try await addWebhook(["event_name": .string(event), "endpoint": .string(endpoint), "enabled": .bool(true)])
        }
    }

    func webhooks(page: Page) async throws -> [String: any Sendable] {
        let all = try await store.webhooks()
        let slice = all.dropFirst(page.rowOffset).prefix(page.rowLimit)
        return ["pagination": page.graphQLValue(total: all.count), "webhooks": slice.map(Self.graphQLValue)]
    }

    func webhook(id: String) async throws -> [String: any Sendable] {
        guard let webhook = try await store.webhook(id: id) else {
            throw AuthorizerError(message: "webhook not found", code: .notFound)
        }
        return Self.graphQLValue(webhook)
    }

    func webhookLogs(page: Page, webhookID: String?) async throws -> [String: any Sendable] {
        let (logs, total) = try await store.webhookLogs(
            webhookID: webhookID, limit: page.rowLimit, offset: page.rowOffset)
        let values: [[String: any Sendable]] = logs.map { log in
            var value: [String: any Sendable] = [
                "id": log.id, "webhook_id": log.webhookID, "request": log.request, "response": log.response,
                "created_at": Int(log.createdAt), "updated_at": Int(log.createdAt),
            ]
            if let status = log.httpStatus { value["http_status"] = Int(status) }
            return value
        }
        return ["pagination": page.graphQLValue(total: total), "webhook_logs": values]
    }

    static func graphQLValue(_ webhook: WebhookConfig) -> [String: any Sendable] {
        [
            "id": webhook.id, "event_name": webhook.eventName,
            "event_description": webhook.eventDescription
                ?? WebhookDispatcher.defaultDescription(webhook.baseEventName),
            "endpoint": webhook.endpoint, "enabled": webhook.enabled,
            "headers": Map.dictionary(
                .init(
                    uniqueKeysWithValues: webhook.headers.sorted { $0.key < $1.key }.map {
                        ($0.key, Map.string($0.value))
                    })),
            "created_at": Int(webhook.createdAt), "updated_at": Int(webhook.updatedAt),
        ]
    }
}
