import Foundation
import PlatformDB
import Testing

@Suite struct WorkflowStoreTests {
    /// Two tenants, each with an admin, and a scope for each.
    static func tenants(_ database: PlatformDatabase) async throws -> (TenantScope, TenantScope) {
        var scopes: [TenantScope] = []
        for name in ["a", "b"] {
            _ = try await UserStore(database).create(
                NewUser(authorizerID: "auth-\(name)", email: "\(name)@example.com"))
            let admin = try await TenantStore(database).createTenant(
                name: "Tenant \(name)", ownerAuthorizerID: "auth-\(name)")
            scopes.append(try #require(TenantScope.member(admin)))
        }
        return (scopes[0], scopes[1])
    }

    @Test(arguments: Backend.available)
    func anotherTenantsWorkflowIsInvisibleAndUntouchable(_ backend: Backend) async throws {
        try await TestDatabase.with(backend) { database in
            let (a, b) = try await Self.tenants(database)
            let store = WorkflowStore(database)
            let mine = try await store.create(
                WorkflowInput(name: "Mine", definition: #"{"trigger":{},"steps":[]}"#), in: a)
            #expect(mine.version == 1)
            #expect(mine.tenantID == a.tenantID)
            #expect(try await store.find(mine.id, in: b) == nil)
            #expect(try await store.list(in: b, status: nil, nameContains: nil, limit: 20, after: nil).isEmpty)
            #expect(
                try await store.update(mine.id, with: WorkflowInput(name: "Stolen"), expectedVersion: nil, in: b)
                    == .notFound)
            #expect(try await store.delete(mine.id, expectedVersion: nil, in: b) == .notFound)
            #expect(try await store.find(mine.id, in: a)?.name == "Mine")
        }
    }

    @Test(arguments: Backend.available)
    func versionsGuardConcurrentWrites(_ backend: Backend) async throws {
        try await TestDatabase.with(backend) { database in
            let (a, _) = try await Self.tenants(database)
            let store = WorkflowStore(database)
            let created = try await store.create(WorkflowInput(name: "W"), in: a)
            guard
                case .written(let updated) = try await store.update(
                    created.id, with: WorkflowInput(status: .active), expectedVersion: 1, in: a)
            else {
                Issue.record("update with the right version failed")
                return
            }
            #expect(updated.version == 2)
            #expect(updated.status == .active)
            #expect(
                try await store.update(created.id, with: WorkflowInput(name: "late"), expectedVersion: 1, in: a)
                    == .versionMismatch(current: 2))
            #expect(try await store.delete(created.id, expectedVersion: 1, in: a) == .versionMismatch(current: 2))
            guard case .written = try await store.delete(created.id, expectedVersion: 2, in: a) else {
                Issue.record("delete with the right version failed")
                return
            }
        }
    }

    @Test(arguments: Backend.available)
    func pagesFiltersAndLiteralSearch(_ backend: Backend) async throws {
        try await TestDatabase.with(backend) { database in
            let (a, _) = try await Self.tenants(database)
            let store = WorkflowStore(database)
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            for index in 0..<25 {
                _ = try await store.create(
                    WorkflowInput(
                        name: index == 7 ? "100% done" : "Flow \(index)", status: index % 2 == 0 ? .active : .draft),
                    in: a, now: start.addingTimeInterval(Double(index)))
            }
            var seen: [String] = []
            var cursor: PageCursor?
            repeat {
                let page = try await store.list(in: a, status: nil, nameContains: nil, limit: 10, after: cursor)
                seen += page.map(\.id)
                cursor = page.count == 10 ? page.last.map { PageCursor(createdAt: $0.createdAt, id: $0.id) } : nil
            } while cursor != nil
            #expect(seen.count == 25)
            #expect(Set(seen).count == 25)
            #expect(try await store.list(in: a, status: .active, nameContains: nil, limit: 100, after: nil).count == 13)
            let literal = try await store.list(in: a, status: nil, nameContains: "0%", limit: 100, after: nil)
            #expect(literal.map(\.name) == ["100% done"], "% is matched literally")
            #expect(
                try await store.list(in: a, status: nil, nameContains: "FLOW 1", limit: 100, after: nil).count == 11)
        }
    }
}
