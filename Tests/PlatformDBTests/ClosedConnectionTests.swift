import Foundation
import Logging
import PlatformDB
import SQLKit
import TestSupport
import Testing

/// A statement sent on a connection PostgreSQL has closed fails at once: PostgresNIO writes a
/// query to its channel without a promise, so on a closed channel it would wait for ever (this is
/// how requests in flight when PostgreSQL stopped went unanswered, issue 10).
@Suite(.enabled(if: TestPostgres.adminURL != nil)) struct ClosedConnectionTests {
    @Test(.disabled(if: TestPostgres.pooled, "needs a direct connection: a pooler hides the server closing it"))
    func aStatementOnAConnectionTheServerClosedFailsAtOnce() async throws {
        try await TestPostgres.shared.withDatabase(
            migrated: false, test: "aStatementOnAConnectionTheServerClosedFailsAtOnce"
        ) { url in
            try await PlatformDatabase.withOpened(url, logger: Logger(label: "test.closed")) { database in
                let outcome = try await database.withConnection { sql -> String in
                    let pid = try #require(
                        try await sql.raw("SELECT pg_backend_pid() AS pid").first()?.decode(column: "pid", as: Int.self)
                    )
                    try await TestPostgres.admin("SELECT pg_terminate_backend(\(pid))")
                    // Let the close reach the client, so the next statement meets a closed channel.
                    try await Task.sleep(for: .milliseconds(500))
                    return await answer(within: .seconds(5)) { try await sql.raw("SELECT 1 AS one").run() }
                }
                #expect(outcome == "failed")
            }
        }
    }
}
