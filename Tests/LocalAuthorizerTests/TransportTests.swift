import Foundation
import Testing

@testable import LocalAuthorizer

/// Authorizer's transport rules: status codes and shapes for bad requests (CONTRACT §2).
@Suite struct TransportTests {
    @Test func badRequestsGetAuthorizersStatusAndShape() async throws {
        try await Harness.with { h in
            let undecodable = try await h.post(Data("{not json".utf8))
            #expect(undecodable.status == .badRequest)
            #expect(undecodable.json["errors"][0]["message"].string != nil)

            let wrongType = try await h.post(Data(#"{"query": 42}"#.utf8))
            #expect(wrongType.status == .badRequest)

            let syntax = try await h.graphql("mutation { login(params: ")
            #expect(syntax.status == .unprocessableContent)

            let unknown = try await h.graphql("{ no_such_field { id } }")
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.json["errors"][0]["message"].string?.contains("no_such_field") == true)

            let missing = try await h.graphql("mutation { login(params: {email: \"a@b.c\"}) { message } }")
            #expect(missing.status == .unprocessableContent)

            let badVariable = try await h.graphql(
                "mutation ($p: LoginRequest!) { login(params: $p) { message } }", variables: ["p": ["password": 5]])
            #expect(badVariable.status == .unprocessableContent)

            // http.MaxBytesReader's error through gqlgen's POST transport: HTTP 200 (graphql.go).
            let huge = Data(("{\"query\": \"" + String(repeating: "x", count: 1_100_000) + "\"}").utf8)
            let tooLarge = try await h.post(huge)
            #expect(tooLarge.status == .ok)
            #expect(
                tooLarge.json["errors"][0]["message"].string
                    == "could not read request body: http: request body too large")
        }
    }

    @Test func csrfRuleRefusesForeignOrMissingOrigins() async throws {
        try await Harness.with { h in
            let foreign = try await h.graphql("{ meta { version } }", origin: "https://evil.example")
            #expect(foreign.status == .forbidden)
            #expect(foreign.json["error"].string == "csrf_validation_failed")
            let same = try await h.graphql("{ meta { version } }")
            #expect(same.status == .ok)
        }
        let strict: (inout AuthorizerConfiguration) -> Void = { $0.allowedOrigins = ["https://app.example"] }
        try await Harness.with(configure: strict) { h in
            let allowed = try await h.graphql("{ meta { version } }", origin: "https://app.example")
            let sameHostButNotListed = try await h.graphql("{ meta { version } }")
            #expect(allowed.status == .ok)
            #expect(sameHostButNotListed.status == .forbidden)
        }
    }

    @Test func adminOperationsNeedTheAdminSecret() async throws {
        try await Harness.with { h in
            let denied = try await h.graphql("{ _users { pagination { total } } }")
            #expect(denied.json["errors"][0]["message"].string == "unauthorized")
            #expect(
                try await h.graphql("{ _users { pagination { total } } }", admin: true).json["data"]["_users"][
                    "pagination"]["total"].int == 0)
        }
    }
}

/// Authorizer 2.4's per-IP limit (`internal/http_handlers/rate_limit.go`) and answers the gateway
/// meets at the edges: the 429's exact bytes, an empty profile update, an unknown token type.
@Suite struct EdgeAnswerTests {
    @Test func theRateLimitAnswersAsAuthorizer() async throws {
        // A bucket that refills once a minute: the third request is refused however slow the machine.
        try await Harness.with(configure: {
            $0.rateLimitRPS = 1.0 / 60
            $0.rateLimitBurst = 2
        }) { h in
            var replies: [Harness.Reply] = []
            for _ in 0..<4 { replies.append(try await h.graphql("{ meta { version } }")) }
            let limited = try #require(replies.first { $0.status == .tooManyRequests }, "\(replies.map(\.status))")
            #expect(
                limited.text
                    == #"{"error":"rate_limit_exceeded","error_description":"Too many requests. Please try again later."}"#
            )
            #expect(limited.headers[.retryAfter] == "1")
            #expect(limited.headers[.contentType] == "application/json; charset=utf-8")
            // Discovery, JWKS and health are never limited.
            for path in ["/.well-known/jwks.json", "/.well-known/openid-configuration", "/healthz"] {
                #expect(try await h.client.execute(uri: path, method: .get) { $0.status } == .ok, "\(path)")
            }
        }
    }

    @Test func anEmptyProfileUpdateAndAnUnknownTokenTypeAreInvalidArguments() async throws {
        try await Harness.with { h in
            _ = try await h.signup("edge@example.com")
            let token = try #require(try await h.login("edge@example.com").json["data"]["login"]["access_token"].string)
            let empty = try await h.graphql("mutation { update_profile(params: {}) { message } }", bearer: token)
            #expect(empty.json["errors"][0]["message"].string == "please enter at least one param to update")
            #expect(empty.json["errors"][0]["extensions"]["code"].string == "INVALID_ARGUMENT")
            let type = try await h.validate(token, type: "session_token")
            #expect(type.json["errors"][0]["message"].string == "invalid token type")
        }
    }
}
