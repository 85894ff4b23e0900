import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// One log line per request (request id, route, status, duration), and the request id carried
/// everywhere: taken from `X-Request-Id` when the caller sent a sane one, made otherwise, put on
/// every log line of the request, echoed in the response and in problem bodies.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    static let header = HTTPField.Name("X-Request-Id")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let id = request.headers[Self.header].flatMap(Self.sane) ?? Self.make()
        var context = context
        context.requestID = id
        context.logger[metadataKey: "request_id"] = .string(id)
        let started = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[Self.header] = id
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info(
            "request",
            metadata: [
                "method": .string(request.method.rawValue),
                "route": .string(context.endpointPath ?? "unmatched"),
                "status": .stringConvertible(response.status.code),
                "duration_ms": .stringConvertible((milliseconds * 100).rounded() / 100),
            ])
        return response
    }

    /// A caller's id is kept only if short and plain, so it cannot forge log lines.
    static func sane(_ text: String) -> String? {
        guard (1...128).contains(text.utf8.count),
            text.utf8.allSatisfy({
                (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x2D
                    || $0 == 0x5F || $0 == 0x2E
            })
        else { return nil }
        return text
    }

    /// 32 hex digits (128 bits) from the system CSPRNG.
    static func make() -> String {
        // Two draws of 64 bits: each draw is a getrandom(2) call, so not one per byte.
        var generator = SystemRandomNumberGenerator()
        var words = (generator.next() as UInt64, generator.next() as UInt64)
        return withUnsafeBytes(of: &words) { $0.lowercaseHex }
    }
}
