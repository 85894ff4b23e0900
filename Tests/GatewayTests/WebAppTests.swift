import Foundation
import Gateway
import HTTPTypes
import Testing

/// How the gateway serves reports-client. What the app does in a browser is `scripts/e2e`'s.
@Suite struct WebAppTests {
    @Test func thePageAndEveryModuleItImportsAreServedWithTheirTypeAStrictPolicyAndRevalidation() async throws {
        try await GatewayHarness.with(mode: .local) { h in
            let page = try await h.request(.get, "/")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.headers[.cacheControl] == "no-cache")
            let policy = try #require(page.headers[.contentSecurityPolicy])
            for directive in [
                "default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
                "frame-ancestors 'none'",
            ] {
                #expect(policy.contains(directive), "\(policy)")
            }
            #expect(!policy.contains("unsafe"), "\(policy)")
            // Nothing inline that the policy would block: every script has a src, no style attribute or element.
            #expect(!page.text.contains("<script>") && !page.text.contains("<style") && !page.text.contains("style="))

            // Follow the page's references and every module's imports: each is served with its type.
            var pending = try matches(#"(?:src|href)="/app/([^"]+)""#, in: page.text)
            var served: Set<String> = []
            while let file = pending.popLast() {
                guard served.insert(file).inserted else { continue }
                let asset = try await h.request(.get, "/app/\(file)")
                #expect(asset.status == .ok, "\(file): \(asset.status)")
                let expected =
                    file.hasSuffix(".js")
                    ? "text/javascript; charset=utf-8"
                    : file.hasSuffix(".css") ? "text/css; charset=utf-8" : "image/svg+xml"
                #expect(asset.headers[.contentType] == expected, "\(file)")
                #expect(asset.headers[.xContentTypeOptions] == "nosniff")
                if file.hasSuffix(".js") {
                    #expect(
                        !["localStorage.", "sessionStorage.", "document.cookie"].contains { asset.text.contains($0) },
                        "\(file) stores a token")
                    #expect(!asset.text.contains("innerHTML"), "\(file) writes HTML from strings")
                    pending += try matches(#"from '\./([^']+)'"#, in: asset.text)
                }
            }
            #expect(
                served.isSuperset(of: [
                    "main.js", "api.js", "dom.js", "auth.js", "workflows.js", "reports.js", "admin.js", "app.css",
                    "icon.svg",
                ]))

            // An unchanged file revalidates to a 304 without a body; a changed ETag gets the file.
            let etag = try #require(page.headers[.eTag])
            let again = try await h.request(.get, "/", headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified && again.text.isEmpty)
            let stale = try await h.request(.get, "/", headers: [.ifNoneMatch: "\"0000\""])
            #expect(stale.status == .ok && stale.text.contains("<main"))

            let missing = try await h.request(.get, "/app/../Package.swift")
            #expect(missing.status == .notFound)
            let unknown = try await h.request(.get, "/app/nothing.js")
            #expect(unknown.status == .notFound)
            #expect(unknown.headers[.contentType] == "application/problem+json")
            #expect(unknown.json["type"].string?.hasSuffix("/not-found") == true)
        }
    }

    private func matches(_ pattern: String, in text: String) throws -> [String] {
        let expression = try NSRegularExpression(pattern: pattern)
        return expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }
}
