import Foundation
import HTTPTypes
import Hummingbird
import Testing

@testable import Gateway

/// The OpenAPI document against the router: every route is in it and nothing else is.
@Suite struct OpenAPITests {
    @Test func theDocumentDescribesExactlyTheRoutesTheRouterServes() async throws {
        try await GatewayHarness.with(mode: .local, configure: { $0.metrics = ObservabilityTests.registry }) { h in
            let reply = try await h.request(.get, "/openapi.json")
            #expect(reply.status == .ok)
            #expect(reply.headers[.contentType] == "application/json")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(reply.text.utf8)) as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var documented: Set<String> = []
            for (path, operations) in paths {
                for (method, operation) in operations {
                    documented.insert("\(method.uppercased()) \(path)")
                    let operation = try #require(operation as? [String: Any])
                    let responses = try #require(operation["responses"] as? [String: [String: Any]])
                    for (status, response) in responses where Int(status).map({ $0 >= 400 }) == true {
                        let content = response["content"] as? [String: Any]
                        #expect(
                            content?.keys.sorted() == ["application/problem+json"],
                            "\(method) \(path) \(status) is a problem")
                    }
                    let secured = !((operation["security"] as? [[String: Any]]) ?? []).isEmpty
                    if secured { #expect(responses["401"] != nil, "\(method) \(path) documents 401") }
                }
            }
            let served = Set(h.catalog.routes.map { "\($0.method) \($0.path)" })
            #expect(served.subtracting(documented).sorted() == [], "routes missing from the document")
            #expect(documented.subtracting(served).sorted() == [], "documented routes the router does not serve")
            #expect(served.count > 40)

            let schemas = try #require(
                (document["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
            func properties(_ name: String) -> Set<String> {
                Set((schemas[name]?["properties"] as? [String: Any])?.keys ?? [:].keys)
            }
            // Request bodies list exactly the fields the handlers accept (they refuse any other).
            #expect(properties("SignupRequest") == SignupRequest.fields)
            #expect(properties("LoginRequest") == LoginRequest.fields)
            #expect(properties("RefreshRequest") == RefreshRequest.fields)
            #expect(properties("ProfilePatch") == ProfilePatch.fields)
            #expect(properties("ResetPasswordRequest") == ResetPasswordRequest.fields)
            #expect(properties("WorkflowCreate") == WorkflowController.Body.fields)
            #expect(properties("WorkflowPatch") == WorkflowController.Body.fields)
            #expect(properties("ReportCreate") == ReportController.Body.fields)
            #expect(properties("ReportPatch") == ReportController.Body.fields)
        }
    }
}
