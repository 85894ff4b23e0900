import Foundation
import PlatformDB
import SQLKit
import TestSupport
import Testing

@testable import LocalAuthorizer

/// The local Authorizer on PostgreSQL storage, when the test command provides a server.
@Suite struct PostgresStorageTests {
    @Test(.enabled(if: TestPostgres.adminURL != nil)) func theCoreFlowRunsOnPostgreSQL() async throws {
        try await TestPostgres.shared.withDatabase(migrated: false, test: "theCoreFlowRunsOnPostgreSQL") { url in
            let storage: (inout AuthorizerConfiguration) -> Void = { $0.databaseURL = url }
            try await Harness.with(configure: storage) { h in
                try await h.signup("pg@example.com")
                let token = try #require(
                    try await h.login("pg@example.com").json["data"]["login"]["access_token"].string)
                #expect(try await h.validate(token).json["data"]["validate_jwt_token"]["is_valid"].bool == true)
                _ = try await h.graphql("mutation { logout { message } }", bearer: token)
                #expect(try await h.validate(token).json["errors"][0]["message"].string == "invalid token")
            }
        }
    }
}
