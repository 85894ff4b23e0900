import Hummingbird
import NIOFoundationCompat

/// `/openapi.json`: the API's OpenAPI 3.1 document, rendered once.
struct OpenAPIController: RouteAdding, Sendable {
    let document = ByteBuffer(data: OpenAPIDocument.render())

    func addRoutes(to routes: RouteGroups) {
        let document = self.document
        routes.open.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: document))
        }
    }
}
