import Foundation
import PlatformDB
import SQLKit

/// One delivery attempt, as `_webhook_logs` lists it.
struct WebhookLog: Sendable {
    var id: String
    var webhookID: String
    var httpStatus: Int64?
    var request: String
    var response: String
    var createdAt: Int64
}
