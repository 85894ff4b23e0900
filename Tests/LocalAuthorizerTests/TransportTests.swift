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
            #expect(tooLarge.json["errors"][0]["message"].string == "could not read request body: http: request body too large")
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
            #expect(try await h.graphql("{ _users { pagination { total } } }", admin: true).json["data"]["_users"]["pagination"]["total"].int == 0)
        }
    }
}
