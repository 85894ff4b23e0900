import Foundation
import SQLKit

/// Reads and writes tenants. Every error it throws is a ``PlatformDBError``.
public struct ClientStore: Sendable {
    let database: PlatformDatabase

    /// A store over `database`.
    public init(_ database: PlatformDatabase) {
        self.database = database
    }

    /// Creates a tenant; a taken slug throws ``PlatformDBError/alreadyExists(table:field:)``.
    public func create(name: String, slug: String, now: Date = Date()) async throws -> ClientRecord {
        try await database.withConnection { sql in
            let row = try await sql.insert(into: "clients")
                .columns("id", "name", "slug", "status", "created_at", "updated_at")
                .values(
                    SQLBind(Identifier.make(now: now)), SQLBind(name), SQLBind(slug),
                    SQLBind(ClientStatus.active.rawValue), SQLBind(now), SQLBind(now)
                )
                .returning(SQLColumn("*"))
                .first()
            guard let row else { throw PlatformDBError.unavailable("insert returned no row") }
            return try ClientRecord(row: row)
        }
    }

    /// The tenant with id `id`.
    public func find(id: String) async throws -> ClientRecord? {
        try await database.withConnection { sql in
            try await sql.select().column("*").from("clients")
                .where("id", .equal, SQLBind(id))
                .first()
                .map(ClientRecord.init(row:))
        }
    }
}
