import Foundation
import PlatformDB
import SQLKit
import Testing

@testable import LocalAuthorizer

/// The local Authorizer on PostgreSQL storage, when the test command provides a server.
@Suite struct PostgresStorageTests {
    static var adminURL: DatabaseURL? {
        ProcessInfo.processInfo.environment["PLATFORM_TEST_POSTGRES_URL"].flatMap { try? DatabaseURL($0) }
    }

    @Test(.enabled(if: adminURL != nil)) func theCoreFlowRunsOnPostgreSQL() async throws {
        guard case .postgres(var location) = Self.adminURL else { return }
        let name = "authorizer_test_" + Identifier.make()
        try await Self.admin("CREATE DATABASE \(name)")
        location.database = name
        do {
            let storage: (inout AuthorizerConfiguration) -> Void = { $0.databaseURL = .postgres(location) }
            try await Harness.with(configure: storage) { h in
                try await h.signup("pg@example.com")
                let token = try #require(try await h.login("pg@example.com").json["data"]["login"]["access_token"].string)
                #expect(try await h.validate(token).json["data"]["validate_jwt_token"]["is_valid"].bool == true)
                _ = try await h.graphql("mutation { logout { message } }", bearer: token)
                #expect(try await h.validate(token).json["errors"][0]["message"].string == "unauthorized")
            }
        } catch {
            try? await Self.admin("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            throw error
        }
        try await Self.admin("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        if let path = ProcessInfo.processInfo.environment["PLATFORM_TEST_PG_LOG"], let handle = FileHandle(forWritingAtPath: path) {
            _ = try? handle.seekToEnd()
            handle.write(Data("theCoreFlowRunsOnPostgreSQL \(UUID().uuidString)\n".utf8))
            try? handle.close()
        }
    }

    static func admin(_ statement: String) async throws {
        guard let url = adminURL else { return }
        try await PlatformDatabase.withOpened(url, logger: Harness.logger) { database in
            try await database.withConnection { sql in try await sql.raw(SQLQueryString(stringLiteral: statement)).run() }
        }
    }
}
