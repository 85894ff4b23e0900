import AuthorizerClient
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PlatformDB
import Testing

/// Readiness of Authorizer and the JWKS, security headers, CORS, and the auth rate limits.
@Suite struct ProtectionTests {
    @Test func readinessCoversAuthorizerAndTheJWKS() async throws {
        try await GatewayHarness.with(mode: .local) { h in
            let ready = try await h.request(.get, "/readyz")
            #expect(ready.status == .ok, "\(ready.text)")
            #expect(ready.json["details"]["authorizer"].string == "ok", "local mode: Authorizer is a detail")
            #expect(ready.json["checks"]["jwks"].string == "ok")
            #expect(ready.json["checks"]["database"].string == "ok")
            #expect(ready.json["checks"]["migrations"].string == "ok")
        }
        // Nothing listens where this gateway looks for Authorizer.
        let logger = Logger(label: "test.protection")
        let database = try await PlatformDatabase.open(.sqliteMemory, logger: logger)
        var settings = AuthorizerSettings(url: "http://127.0.0.1:\(CrashRecoveryTests.freePort())", clientID: "c")
        settings.version = .v2
        settings.reconcileInterval = nil
        var webhooks = WebhookAuthentication()
        webhooks.authorizerSecret = "s-0123456789abcdef"
        let app = try await buildApplication(
            configuration: .init(port: 0, databaseURL: .sqliteMemory, authorizer: settings, webhooks: webhooks),
            database: database, logger: logger)
        try await app.test(.ahc(.http)) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                let text = String(buffer: response.body)
                // Keys never loaded: this instance cannot check a token, whatever the mode.
                #expect(response.status == .serviceUnavailable)
                #expect(text.contains("jwks: not loaded"), "\(text)")
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok, "liveness does not depend on Authorizer")
            }
        }
    }

    @Test func everyResponseCarriesSecurityHeadersAndCORSFollowsTheList() async throws {
        try await GatewayHarness.with(mode: .local, configure: { $0.allowedOrigins = ["https://app.example.com"] }) {
            h in
            for path in ["/healthz", "/no/such/route", "/workflows"] {
                let reply = try await h.request(.get, path, headers: [.origin: "https://evil.example.com"])
                #expect(reply.headers[.xContentTypeOptions] == "nosniff", "\(path)")
                #expect(
                    reply.headers[.contentSecurityPolicy] == "default-src 'none'; frame-ancestors 'none'", "\(path)")
                #expect(reply.headers[HTTPField.Name("X-Frame-Options")!] == "DENY", "\(path)")
                #expect(reply.headers[.cacheControl] == "no-store", "\(path)")
                #expect(
                    reply.headers[.accessControlAllowOrigin] == nil, "\(path): an unlisted origin gets no CORS grant")
            }
            let allowed = try await h.request(.get, "/healthz", headers: [.origin: "https://app.example.com"])
            #expect(allowed.headers[.accessControlAllowOrigin] == "https://app.example.com")
            #expect(allowed.headers[.vary] == "Origin")

            let preflight = try await h.request(
                .options, "/workflows",
                headers: [.origin: "https://app.example.com", .accessControlRequestMethod: "POST"])
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowHeaders]?.contains("Authorization") == true)
            let refused = try await h.request(
                .options, "/workflows",
                headers: [.origin: "https://evil.example.com", .accessControlRequestMethod: "POST"])
            #expect(refused.status == .forbidden)
            #expect(refused.headers[.contentType] == "application/problem+json")
            #expect(refused.headers[.xContentTypeOptions] == "nosniff")
            #expect(refused.headers[.accessControlAllowOrigin] == nil)
        }
    }

    @Test func authRoutesAreRateLimitedPerEmailAndPerIP() async throws {
        try await GatewayHarness.with(
            mode: .local, configure: { $0.authRateLimits = AuthRateLimits(perIP: 8, perEmail: 3) }
        ) { h in
            try await h.signup("limited@example.com")
            // The signup counted once for this email at signup; login has its own count.
            for attempt in 1...3 {
                let reply = try await h.request(
                    .post, "/auth/login", json: ["email": "limited@example.com", "password": "wrong-Passw0rd!"])
                #expect(reply.status == .unauthorized, "attempt \(attempt): \(reply.text)")
            }
            let limited = try await h.request(
                .post, "/auth/login", json: ["email": "LIMITED@example.com", "password": GatewayHarness.password])
            #expect(limited.status == .tooManyRequests, "\(limited.text)")
            #expect(limited.headers[.contentType] == "application/problem+json")
            #expect(limited.json["type"].string == Problem.typeBase + "too-many-requests")
            let retryAfter = try #require(limited.headers[.retryAfter].flatMap(Int.init))
            #expect((1...60).contains(retryAfter))

            // Other emails from the same address: the per-IP limit (8 login attempts) ends them too.
            var statuses: [Int] = []
            for index in 0..<6 {
                let reply = try await h.request(
                    .post, "/auth/forgot-password", json: ["email": "nobody\(index)@example.com"])
                statuses.append(reply.status.code)
            }
            #expect(!statuses.contains(429), "forgot-password has its own count: \(statuses)")
            for index in 0..<5 {
                let reply = try await h.request(
                    .post, "/auth/login", json: ["email": "other\(index)@example.com", "password": "x"])
                statuses.append(reply.status.code)
            }
            #expect(statuses.suffix(5).last == 429, "\(statuses)")
        }
    }
}
