import AuthorizerClient
import Foundation
import Logging
import PlatformDB
import Testing

@testable import Gateway

/// The user-context cache in front of every request.
@Suite struct UserContextLoaderTests {
    @Test func requestsThatMissTogetherShareOneReadAndAChangeIsReadAgain() async throws {
        let logger = Logger(label: "test.loader")
        try await PlatformDatabase.withOpened(.sqliteMemory, logger: logger) { database in
            try await Migrator().migrate(database)
            _ = try await UserStore(database).create(NewUser(authorizerID: "auth-1", email: "one@example.com"))
            _ = try await ClientStore(database).createTenant(name: "One", ownerAuthorizerID: "auth-1")
            let loader = UserContextLoader(
                users: UserStore(database), clients: ClientStore(database),
                client: AuthorizerClient(configuration: .init(url: "http://127.0.0.1:9", clientID: "unused"), version: .v2),
                ttl: .seconds(60), roles: RoleMapping(), logger: logger)
            let token = try VerifiedToken(claims: ["sub": .string("auth-1"), "exp": .number(Date().timeIntervalSince1970 + 600)])
            let identity = Identity(accessToken: "unused", token: token)

            let tenants = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<50 { group.addTask { try await loader.context(for: identity).client?.name } }
                return try await group.reduce(into: [String?]()) { $0.append($1) }
            }
            #expect(tenants == Array(repeating: "One", count: 50))
            #expect(loader.reads.load(ordering: .relaxed) == 1, "50 requests that missed together read the user \(loader.reads.load(ordering: .relaxed)) times")
            _ = try await loader.context(for: identity)
            #expect(loader.reads.load(ordering: .relaxed) == 1)

            loader.invalidate(authorizerID: "auth-1")
            #expect(!loader.isCached("auth-1"))
            _ = try await loader.context(for: identity)
            #expect(loader.reads.load(ordering: .relaxed) == 2)
        }
    }
}
