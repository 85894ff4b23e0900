import Foundation
import Hummingbird

/// `GET /dev/outbox`, served by `platform dev` only: the mails the local Authorizer would have
/// sent (links and codes), for the web app's outbox page. No other command serves it.
struct DevOutboxController: RouteAdding, Sendable {
    /// Reads the local Authorizer's outbox: `{"messages": [...]}`.
    let read: @Sendable () async throws -> Data

    func addRoutes(to routes: RouteGroups) {
        routes.open.get("/dev/outbox") { _, _ in
            let data: Data
            do {
                data = try await read()
            } catch {
                throw Problem(
                    .badGateway, type: "authorizer-unavailable", title: "Identity provider unavailable",
                    detail: "the local Authorizer's outbox could not be read")
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}
