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
            _ = try await TenantStore(database).create(name: "Acme", slug: "acme")
            await #expect(throws: PlatformDBError.alreadyExists(table: "clients", field: "slug")) {
                try await TenantStore(database).create(name: "Acme 2", slug: "acme")
            }
        }
    }

    /// Two transactions freeing one address at once (a signup's and its webhook's): the first
    /// moves the stale holder to the address Authorizer gives it; the second, which read the holder
    /// before that commit, must neither count the holder's own new address as taken nor release
    /// it. Seen under load in EmailCollisionTests: A's row became `released:<id>:a.new@…`.
    @Test(arguments: Backend.available)
    func anAddressAlreadyMovedByAnotherTransactionStaysMoved(_ backend: Backend) async throws {
        try await TestDatabase.with(backend) { database in
            let store = UserStore(database)
            _ = try await store.create(NewUser(authorizerID: "az-a", email: "a.new@example.com"))
            _ = try await store.create(NewUser(authorizerID: "az-c", email: "c@example.com"))
            try await database.withConnection { sql in
                #expect(
                    try await !UserStore(database).isTaken("a.new@example.com", exceptAuthorizerID: "az-a", on: sql))
                #expect(try await UserStore(database).isTaken("c@example.com", exceptAuthorizerID: "az-a", on: sql))
                // The second transaction's view of the holder is `a@`: stale, so nothing changes.
                try await UserStore(database).releaseEmail(
                    authorizerID: "az-a", email: "a@example.com", now: Date(), on: sql)
                try await UserStore(database).setEmail(
                    "x@example.com", authorizerID: "az-a", previous: "a@example.com", now: Date(), on: sql)
            }
            #expect(try await store.find(authorizerID: "az-a")?.email == "a.new@example.com")
            try await database.withConnection { sql in
                try await UserStore(database).releaseEmail(
                    authorizerID: "az-c", email: "c@example.com", now: Date(), on: sql)
            }
            #expect(try await store.find(authorizerID: "az-c")?.email.hasPrefix("released:") == true)
        }
    }
}
