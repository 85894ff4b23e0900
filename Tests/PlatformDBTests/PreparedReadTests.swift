import Foundation
import Logging
import SQLKit
import TestSupport
import Testing

@testable import PlatformDB

/// The unfiltered workflow pages run on PostgreSQL as prepared statements, on the connection's
/// event loop; they read exactly what the SQLKit query reads, page after page (their bytes are
/// compared with the gateway's writer in `RenderedPageTests`).
@Suite(.enabled(if: TestPostgres.adminURL != nil)) struct PreparedReadTests {
    @Test func preparedPagesReadWhatTheSQLKitQueryReads() async throws {
        try await TestDatabase.with(.postgres) { database in
            let (a, b) = try await WorkflowStoreTests.tenants(database)
            let store = WorkflowStore(database)
            // Two tenants' workflows, several created in the same microsecond (the id breaks ties).
            let base = Date(timeIntervalSince1970: 1_800_000_000)
            for (index, scope) in [a, b, a, a, b, a, a, b, a, a, a, b, a, a, a].enumerated() {
                _ = try await store.create(
                    WorkflowInput(name: "w\(index)", description: index % 2 == 0 ? nil : "d\(index)"), in: scope,
                    now: base.addingTimeInterval(Double(index / 3)))
            }
            for scope in [a, b] {
                var cursor: PageCursor?
                var pages = 0
                repeat {
                    let rendered = try #require(
                        try await store.renderedPage(in: scope, limit: 5, after: cursor),
                        "the prepared read ran on the connection's event loop")
                    // Through a transaction-mode pooler the same statement runs unnamed, with the same rows.
                    let after = cursor
                    let unnamed = try await PlatformDatabase.withOpened(
                        database.url, logger: TestDatabase.logger, topology: .init(transactionPooling: true)
                    ) { pooled in try await WorkflowStore(pooled).renderedPage(in: scope, limit: 5, after: after) }
                    #expect(unnamed == rendered)
                    let expected = try await database.withConnection { sql in
                        try await sql.select().column("*").from("workflows").whereTenant(scope).page(
                            after: cursor, limit: 5
                        ).all()
                            .map(WorkflowRecord.init(row:))
                    }
                    #expect(
                        try await store.list(in: scope, status: nil, nameContains: nil, limit: 5, after: cursor)
                            == expected)
                    // The first four rows' items, in order, and the fifth only counted.
                    let items = try #require(
                        try JSONSerialization.jsonObject(with: Data("[\(rendered.items)]".utf8)) as? [[String: Any]])
                    #expect(items.compactMap { $0["id"] as? String } == expected.prefix(4).map(\.id))
                    #expect(rendered.rows == expected.count)
                    #expect(
                        rendered.last == expected.prefix(4).last.map { PageCursor(createdAt: $0.createdAt, id: $0.id) })
                    cursor = expected.count > 4 ? rendered.last : nil
                    pages += 1
                } while cursor != nil && pages < 10
                #expect(pages == (scope == a ? 3 : 1))
            }
        }
    }

    @Test func aPreparedReadOnAConnectionTheServerClosedIsAnswered() async throws {
        try await TestDatabase.with(.postgres) { database in
            let (a, _) = try await WorkflowStoreTests.tenants(database)
            let store = WorkflowStore(database)
            _ = try await store.list(in: a, status: nil, nameContains: nil, limit: 5, after: nil)
            let name = try #require(
                try await database.withConnection { sql in
                    try await sql.raw("SELECT current_database() AS name").first()?.decode(
                        column: "name", as: String.self)
                })
            // End every connection of the pool behind its back.
            try await TestPostgres.admin(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(name)' AND pid <> pg_backend_pid()"
            )
            try await Task.sleep(for: .milliseconds(300))
            let first = await answer(within: .seconds(5)) {
                _ = try await store.list(in: a, status: nil, nameContains: nil, limit: 5, after: nil)
            }
            #expect(first == "succeeded" || first == "failed", "\(first)")
        }
    }
}
