import AsyncHTTPClient
import AuthorizerClient
import Foundation
import Hummingbird
import HummingbirdTesting
import LocalAuthorizer
import Logging
import Testing

/// The client against the project's Authorizer-compatible server, over real HTTP.
@Suite struct ClientTests {
    static let password = "Str0ng!pass"

    static func withServer(
        configure: (inout AuthorizerConfiguration) -> Void = { _ in },
        _ body: @Sendable (AuthorizerClient.Configuration) async throws -> Void
    ) async throws {
        var configuration = AuthorizerConfiguration(
            clientID: "client-test", clientSecret: "cs-\(UUID().uuidString)", adminSecret: "as-\(UUID().uuidString)")
        configuration.httpPort = 0
        configuration.disableMFA = true
        configuration.jwtSecret = "jwt-\(UUID().uuidString)"
        configuration.bcryptCost = 4
        configure(&configuration)
        let admin = configuration.adminSecret
        let app = try await buildAuthorizerApplication(configuration: configuration, logger: Logger(label: "test"))
        try await app.test(.ahc(.http)) { client in
            try await body(
                .init(url: "http://localhost:\(client.port ?? 0)", clientID: "client-test", adminSecret: admin))
        }
    }

    @Test(arguments: [AuthorizerVersion.v2, .v1])
    func theFlowsWorkAndFailuresAreTyped(_ version: AuthorizerVersion) async throws {
        try await Self.withServer { configuration in
            let detected = try await AuthorizerClient.connect(configuration: configuration)
            #expect(detected.version == .v2)
            let client = AuthorizerClient(configuration: configuration, version: version)

            let signup = try await client.signup(
                email: "c@example.com", password: Self.password, confirmPassword: Self.password, givenName: "Cy",
                familyName: nil)
            #expect(signup.accessToken != nil)
            #expect(signup.user?.email == "c@example.com")

            let login = try await client.login(email: "c@example.com", password: Self.password)
            let token = try #require(login.accessToken)
            #expect(try await client.profile(accessToken: token).givenName == "Cy")
            #expect(try await client.validateAccessToken(token)["sub"]?.string == signup.user?.id)
            let id = try #require(signup.user?.id)
            #expect(try await client.user(id: id).email == "c@example.com")

            try await client.updateProfile(accessToken: token, givenName: "Cyd", familyName: "Doe")
            #expect(try await client.profile(accessToken: token).familyName == "Doe")

            try await client.logout(accessToken: token)
            // No session: Authorizer's "invalid token" (service/validate_jwt_token.go).
            await #expect(throws: AuthorizerClientError.unauthenticated("invalid token")) {
                try await client.validateAccessToken(token)
            }
            await #expect(throws: AuthorizerClientError.unauthenticated("invalid credentials")) {
                try await client.login(email: "c@example.com", password: "Wr0ng!pass")
            }
            await #expect(
                throws: AuthorizerClientError.invalidArgument(
                    "signup failed. please check your credentials or try a different method")
            ) {
                try await client.signup(
                    email: "c@example.com", password: Self.password, confirmPassword: Self.password, givenName: nil,
                    familyName: nil)
            }
            await #expect(throws: AuthorizerClientError.notFound("user not found")) {
                try await client.user(id: "nobody")
            }
        }
    }

    /// Authorizer 2.x limits each client IP (`http_handlers/rate_limit.go`) and answers 429 with
    /// `Retry-After: 1`: an idempotent call waits that long and tries again, and a login, which is
    /// not idempotent, reports the limit at once.
    @Test func anIdempotentCallWaitsOutRetryAfterAndALoginDoesNot() async throws {
        try await Self.withServer(configure: {
            $0.rateLimitRPS = 1; $0.rateLimitBurst = 1
        }) { settings in
            let client = AuthorizerClient(configuration: settings, version: .v2)
            // Two at once against a bucket of one: one is answered, the other waits out Retry-After.
            func timedMeta() async throws -> Duration {
                let started = ContinuousClock.now
                _ = try await client.meta()
                return ContinuousClock.now - started
            }
            async let first = timedMeta()
            async let second = timedMeta()
            let waits = try await [first, second]
            #expect(waits.contains { $0 >= .milliseconds(900) }, "\(waits)")
            // Two logins at once: the limited one is reported at once, not retried.
            func timedLogin() async -> (AuthorizerClientError?, Duration) {
                let started = ContinuousClock.now
                do {
                    _ = try await client.login(email: "a@example.com", password: Self.password)
                    return (nil, ContinuousClock.now - started)
                } catch {
                    return (error as? AuthorizerClientError, ContinuousClock.now - started)
                }
            }
            async let one = timedLogin()
            async let other = timedLogin()
            let limited = await [one, other].filter { $0.0 == .tooManyRequests(retryAfter: 1) }
            #expect(!limited.isEmpty && limited.allSatisfy { $0.1 < .milliseconds(900) }, "\(limited)")
        }
    }

    @Test func aForeignOriginIsReportedAsCSRF() async throws {
        try await Self.withServer { configuration in
            var foreign = configuration
            foreign.origin = "https://elsewhere.example"
            let client = AuthorizerClient(configuration: foreign, version: .v2)
            await #expect(throws: AuthorizerClientError.csrfRejected) { try await client.meta() }
        }
    }

    @Test func anUnreachableServerIsUnavailableAfterBoundedRetries() async throws {
        var configuration = AuthorizerClient.Configuration(url: "http://127.0.0.1:9", clientID: "x")
        configuration.timeout = .seconds(1)
        let client = AuthorizerClient(configuration: configuration, version: .v2)
        let started = ContinuousClock.now
        await #expect(throws: AuthorizerClientError.self) { try await client.meta() }
        // Bounded: 3 attempts of at most 1 s each plus backoff is about 3.5 s; the margin is for a
        // loaded machine (runs took 5.2 s in CI, and 13 s and 19 s here beside other test runs).
        // Unbounded retries would never return.
        #expect(ContinuousClock.now - started < .seconds(30))
        // Login is never retried, and still reports the outage as such.
        do {
            _ = try await client.login(email: "a@b.c", password: "x")
            Issue.record("login to a closed port succeeded")
        } catch let error as AuthorizerClientError {
            guard case .unavailable = error else {
                Issue.record("expected unavailable, got \(error)")
                return
            }
        }
    }
}
