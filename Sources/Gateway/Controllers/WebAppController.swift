import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// reports-client: the web front end, served at `/` and `/app/<file>`.
///
/// The files are plain HTML, CSS and JavaScript modules under `Sources/Gateway/WebApp`, loaded
/// once at start. Their names carry no content hash, so every answer says `no-cache` with a
/// strong ETag: the browser revalidates and gets a 304 while nothing changed. The page's
/// Content-Security-Policy allows only this origin's own scripts, styles, images and API calls;
/// there is no inline script or style to allow.
struct WebAppController: RouteAdding, Sendable {
    struct Asset: Sendable {
        var body: ByteBuffer
        var contentType: String
        var etag: String
    }

    static let contentSecurityPolicy = [
        "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
        "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    static let contentTypes = [
        "html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
        "svg": "image/svg+xml",
    ]

    /// File name → asset; `index.html` is the page.
    let assets: [String: Asset]

    /// Loads the files shipped in the module's resource bundle.
    static func bundled() throws -> WebAppController {
        guard let folder = Bundle.module.url(forResource: "WebApp", withExtension: nil) else {
            throw GatewayConfigurationError("the web app's files are missing from the Gateway resource bundle")
        }
        return try WebAppController(folder: folder)
    }

    init(folder: URL) throws {
        var assets: [String: Asset] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            guard let type = Self.contentTypes[(name as NSString).pathExtension] else { continue }
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            let digest = SHA256.hash(data: data).prefix(12).lowercaseHex
            assets[name] = Asset(body: ByteBuffer(bytes: data), contentType: type, etag: "\"\(digest)\"")
        }
        guard assets["index.html"] != nil else { throw GatewayConfigurationError("the web app has no index.html") }
        self.assets = assets
    }

    func addRoutes(to routes: RouteGroups) {
        let router = routes.open
        router.get("/") { request, _ in try serve("index.html", request) }
        router.get("/app/:file") { request, context in try serve(context.parameters.require("file"), request) }
    }

    private func serve(_ name: String, _ request: Request) throws -> Response {
        guard let asset = assets[name] else {
            throw Problem(.notFound, type: "not-found", title: "Not found", detail: "no such file of the web app")
        }
        var headers: HTTPFields = [
            .contentType: asset.contentType, .cacheControl: "no-cache", .eTag: asset.etag,
            .contentSecurityPolicy: Self.contentSecurityPolicy,
        ]
        if request.headers[.ifNoneMatch].map({
            $0.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == asset.etag }
        }) == true {
            headers[.contentType] = nil
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: asset.body))
    }
}
