import AuthorizerClient
import Foundation
import Logging
import Metrics
import PlatformDB
import ServiceLifecycle
import Synchronization

/// Runs `handler` with every change PostgreSQL announces on `channel`, and tells `subscribed`
/// when announcements can be trusted (see ``PlatformDatabase/listen(channel:subscribed:_:)``).
struct ChangeListener: Service {
    let database: PlatformDatabase
    let channel: String
    var subscribed: @Sendable (Bool) async -> Void = { _ in }
    let handler: @Sendable (String) async -> Void

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            await database.listen(channel: channel, subscribed: subscribed, handler)
        }
    }
}
