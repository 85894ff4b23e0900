import Foundation
import PlatformDB
import SQLKit

/// A webhook configuration: one event name, one endpoint, optional static headers.
struct WebhookConfig: Sendable, Equatable {
    var id: String
    var eventName: String
    var eventDescription: String?
    var endpoint: String
    var enabled: Bool
    var headers: [String: String]
    var createdAt: Int64
    var updatedAt: Int64

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: String.self)
        eventName = try row.decode(column: "event_name", as: String.self)
        eventDescription = try row.decode(column: "event_description", as: String?.self)
        endpoint = try row.decode(column: "endpoint", as: String.self)
        enabled = try row.decode(column: "enabled", as: Bool.self)
        let headerText = try row.decode(column: "headers", as: String?.self) ?? "{}"
        headers = (try? JSONDecoder().decode([String: String].self, from: Data(headerText.utf8))) ?? [:]
        createdAt = try row.decode(column: "created_at", as: Int64.self)
        updatedAt = try row.decode(column: "updated_at", as: Int64.self)
    }

    init(
        eventName: String, eventDescription: String?, endpoint: String, enabled: Bool, headers: [String: String],
        now: Int64
    ) {
        id = Identifier.make()
        self.eventName = eventName
        self.eventDescription = eventDescription
        self.endpoint = endpoint
        self.enabled = enabled
        self.headers = headers
        createdAt = now
        updatedAt = now
    }

    /// The event this configuration fires for: Authorizer stores a second configuration of one
    /// event as `user.login-1755600000`.
    var baseEventName: String {
        guard let dash = eventName.lastIndex(of: "-"), eventName[eventName.index(after: dash)...].allSatisfy(\.isNumber)
        else { return eventName }
        return String(eventName[..<dash])
    }
}
