import AsyncHTTPClient
import Foundation
import NIOCore

/// Reads a local Authorizer's outbox (`GET /_dev/outbox` with the admin secret): the JSON body,
/// `{"messages": [...]}`. For `platform dev`'s outbox page; a real Authorizer has no such route.
public func readDevOutbox(authorizerURL: String, adminSecret: String) async throws -> Data {
    var request = HTTPClientRequest(url: authorizerURL + "/_dev/outbox")
    request.headers.add(name: "x-authorizer-admin-secret", value: adminSecret)
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
    guard response.status == .ok else { throw AuthorizerSetupError("the outbox answered \(response.status.code)") }
    return Data(buffer: try await response.body.collect(upTo: 4 << 20))
}
