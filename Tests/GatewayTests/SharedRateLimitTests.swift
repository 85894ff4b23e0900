import Foundation
import Gateway
import HTTPTypes
import TestSupport
import Testing

/// The auth limits are counted in PostgreSQL (``RateWindowStore``), so that they hold across
/// instances (issue 23): three gateways on one database, 3 × the limit of attempts spread over
/// them, and exactly the limit passes. Counted per instance, as before, 3 × the limit passed.
@Suite(.enabled(if: TestPostgres.adminURL != nil)) struct SharedRateLimitTests {
    @Test func theLimitPerEmailHoldsAcrossThreeInstances() async throws {
        try await PostgresGatewayTests.withGateways(
            3, test: "theLimitPerEmailHoldsAcrossThreeInstances",
            configure: { $0.authRateLimits = AuthRateLimits(perIP: 0, perEmail: 5, failedLoginsPerAddress: 0) }
        ) { gateways, _, _ in
            let password = GatewayHarness.password
            for email in ["one@example.com", "two@example.com"] {
                let (created, text) = try await PostgresGatewayTests.call(
                    gateways[0], .post, "/auth/signup",
                    #"{"email":"\#(email)","password":"\#(password)","confirmPassword":"\#(password)"}"#)
                #expect(created.code < 300, "\(text)")
            }
            // One after another, round the three instances, the email spelled two ways.
            var statuses: [Int] = []
            for attempt in 0..<15 {
                let email = attempt.isMultiple(of: 2) ? "one@example.com" : "One@Example.com"
                let (status, _) = try await PostgresGatewayTests.call(
                    gateways[attempt % 3], .post, "/auth/login", #"{"email":"\#(email)","password":"\#(password)"}"#)
                statuses.append(status.code)
            }
            #expect(statuses.filter { $0 == 200 }.count == 5, "\(statuses)")
            #expect(statuses.filter { $0 == 429 }.count == 10, "\(statuses)")

            // All at once: the count is exact under concurrency too.
            let concurrent = try await Self.together(15) { attempt in
                try await PostgresGatewayTests.call(
                    gateways[attempt % 3], .post, "/auth/login",
                    #"{"email":"two@example.com","password":"\#(password)"}"#
                ).0.code
            }
            #expect(concurrent.filter { $0 == 200 }.count == 5, "\(concurrent)")
            #expect(concurrent.filter { $0 == 429 }.count == 10, "\(concurrent)")
        }
    }

    @Test func theLimitPerAddressHoldsAcrossThreeInstances() async throws {
        try await PostgresGatewayTests.withGateways(
            3, test: "theLimitPerAddressHoldsAcrossThreeInstances",
            configure: { $0.authRateLimits = AuthRateLimits(perIP: 4, perEmail: 0, failedLoginsPerAddress: 0) }
        ) { gateways, _, _ in
            let statuses = try await Self.together(12) { attempt in
                try await PostgresGatewayTests.call(
                    gateways[attempt % 3], .post, "/auth/forgot-password", #"{"email":"nobody\#(attempt)@example.com"}"#
                ).0.code
            }
            #expect(statuses.filter { $0 != 429 }.count == 4, "\(statuses)")
        }
    }

    /// Runs `count` attempts at once and returns their statuses.
    static func together(_ count: Int, _ attempt: @escaping @Sendable (Int) async throws -> Int) async throws -> [Int] {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<count { group.addTask { try await attempt(index) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }
}
