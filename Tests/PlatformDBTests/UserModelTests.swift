import Foundation
import PlatformDB
import Testing

/// The seed's unit tests ("User Model"), on every backend.
@Suite struct UserModelTests {
    @Test(arguments: Backend.available)
    func createsAUserWithAuthorizerIDAndNoPasswordProperty(_ backend: Backend) async throws {
        try await TestDatabase.with(backend) { database in
            let user = try await UserStore(database).create(
                NewUser(authorizerID: "auth-user-123", email: "test@example.com", role: .user, status: .active))
            #expect(user.authorizerID == "auth-user-123")
            #expect(user.email == "test@example.com")
            #expect(user.role == .user)
            #expect(user.status == .active)
            #expect(Identifier.isWellFormed(user.id))
            let properties = Mirror(reflecting: user).children.compactMap(\.label).map { $0.lowercased() }
            #expect(!properties.contains { $0.contains("password") })
            #expect(!properties.contains { $0.contains("emailverified") })
            #expect(try await UserStore(database).find(authorizerID: "auth-user-123") == user)
        }
    }

    @Test(arguments: Backend.available)
    func rejectsADuplicateAuthorizerIDWithTheTypedError(_ backend: Backend) async throws {
        try await TestDatabase.with(backend) { database in
            let store = UserStore(database)
            _ = try await store.create(NewUser(authorizerID: "auth-user-123", email: "user1@example.com"))
            await #expect(throws: PlatformDBError.alreadyExists(table: "users", field: "authorizer_id")) {
                try await store.create(NewUser(authorizerID: "auth-user-123", email: "user2@example.com"))
            }
        }
    }

    @Test(arguments: Backend.available)
    func rejectsADuplicateEmailWithTheTypedError(_ backend: Backend) async throws {
        try await TestDatabase.with(backend) { database in
            let store = UserStore(database)
            _ = try await store.create(NewUser(authorizerID: "auth-a", email: "same@example.com"))
            await #expect(throws: PlatformDBError.alreadyExists(table: "users", field: "email")) {
                try await store.create(NewUser(authorizerID: "auth-b", email: "same@example.com"))
            }
        }
    }

    @Test(arguments: Backend.available)
    func aDuplicateClientSlugIsTheSameTypedError(_ backend: Backend) async throws {
        try await TestDatabase.with(backend) { database in
            _ = try await ClientStore(database).create(name: "Acme", slug: "acme")
            await #expect(throws: PlatformDBError.alreadyExists(table: "clients", field: "slug")) {
                try await ClientStore(database).create(name: "Acme 2", slug: "acme")
            }
        }
    }
}
