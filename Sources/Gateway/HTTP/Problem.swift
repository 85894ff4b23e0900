import Foundation
import HTTPTypes
import Hummingbird

/// An RFC 9457 problem, the body of every error response (`application/problem+json`).
public struct Problem: Error, HTTPResponseError, Sendable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// A stable URI naming the kind of problem.
    public var type: String
    /// A short, human-readable summary of the kind.
    public var title: String
    /// What went wrong this time.
    public var detail: String?
    /// The request field at fault, when there is one.
    public var field: String?
    /// Extra response headers (`WWW-Authenticate`, `Retry-After`).
    public var headers: HTTPFields = [:]

    /// The base of every problem `type` URI.
    public static let typeBase = "https://automation-platform.dev/problems/"

    public init(_ status: HTTPResponse.Status, type: String, title: String, detail: String? = nil) {
        self.status = status
        self.type = Self.typeBase + type
        self.title = title
        self.detail = detail
    }

    private struct Body: Encodable {
        var type: String
        var title: String
        var status: Int
        var detail: String?
        var field: String?
        var requestId: String?
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let requestID = (context as? GatewayRequestContext)?.requestID
        let body = try JSONEncoder().encode(
            Body(type: type, title: title, status: status.code, detail: detail, field: field, requestId: requestID))
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
