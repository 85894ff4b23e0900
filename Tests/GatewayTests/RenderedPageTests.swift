import Foundation
import Logging
import PlatformDB
import SQLKit
import TestSupport
import Testing

@testable import Gateway

/// PostgreSQL writes the unfiltered workflow page as the API's JSON (`WorkflowPages`): its bytes
/// are the gateway's own writer's bytes for the same rows, escapes, absent fields, odd
/// definitions, fractional dates and cursors included, page after page.
@Suite(.enabled(if: TestPostgres.adminURL != nil)) struct RenderedPageTests {
    @Test func postgreSQLWritesThePageTheGatewayWrites() async throws {
        try await TestPostgres.shared.withDatabase(migrated: true, test: "RenderedPageTests") { url in
            try await PlatformDatabase.withOpened(url, logger: Logger(label: "test.rendered")) { database in
                try await Self.compare(database)
            }
        }
    }

    static func compare(_ database: PlatformDatabase) async throws {
        _ = try await UserStore(database).create(NewUser(authorizerID: "auth-r", email: "r@example.com"))
        let admin = try await TenantStore(database).createTenant(name: "Rendered", ownerAuthorizerID: "auth-r")
        let scope = try #require(TenantScope.member(admin))
        let store = WorkflowStore(database)
        let names = [
            "plain", "quote \" backslash \\ slash /", "line\nfeed\r\ttab", "\u{08}\u{0C}\u{01}\u{1F}\u{7F}",
            "ünïcødé 🚀 \u{2028}", "<script>&amp;",
        ]
        let base = Date(timeIntervalSince1970: 1_800_000_000)
        var ids: [String] = []
        for (index, name) in names.enumerated() {
            // Workflows 4 and 5 share a date (the id breaks the tie); some dates have a fraction to drop.
            let when = base.addingTimeInterval(Double(index / 2) + (index % 3 == 0 ? 0.999_999 : 0))
            let record = try await store.create(
                WorkflowInput(
                    name: name, description: index % 2 == 0 ? nil : "d\"\(index)\u{0C}",
                    definition:
                        #"{"trigger":{"type":"schedule"},"steps":[{"type":"http","url":"https://x.test/a\"b"}]}"#),
                in: scope, now: when)
            ids.append(record.id)
        }
        // A stored definition that is not an object, and no creator: neither is written by the API.
        try await database.scoped(scope) { sql in
            try await sql.raw("UPDATE workflows SET definition = '[1]', created_by = NULL WHERE id = \(bind: ids[2])")
                .run()
            try await sql.raw("UPDATE workflows SET definition = '{' WHERE id = \(bind: ids[3])").run()
        }
        for limit in [1, 2, 4, 6, 20] {
            var cursor: PageCursor?
            var pages = 0
            repeat {
                let rendered = try #require(
                    try await store.renderedPage(in: scope, limit: limit + 1, after: cursor),
                    "PostgreSQL rendered the page")
                let rows = try await store.list(
                    in: scope, status: nil, nameContains: nil, limit: limit + 1, after: cursor)
                let (items, next) = Pagination.page(rows, limit: limit, WorkflowController.WorkflowDTO.init)
                let expected = WorkflowController.PageDTO(items: items, nextCursor: next).body()
                let body = WorkflowController.PageDTO.body(rendered, limit: limit)
                #expect(
                    String(buffer: body) == String(buffer: expected), "limit \(limit), page \(pages + 1)")
                cursor = next.map { try? Pagination.decode($0) } ?? nil
                pages += 1
            } while cursor != nil && pages < 20
            #expect(pages == (names.count + limit - 1) / limit, "limit \(limit)")
        }
    }
}
