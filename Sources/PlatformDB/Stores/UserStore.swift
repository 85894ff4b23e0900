import Foundation
import SQLKit

/// Reads and writes platform users. Every error it throws is a ``PlatformDBError``.
public struct UserStore: Sendable {
    let database: PlatformDatabase

    /// A store over `database`.
    public init(_ database: PlatformDatabase) {
        self.database = database
    }

    /// Creates a user; a taken `authorizer_id` or `email` throws ``PlatformDBError/alreadyExists(table:field:)``.
    public func create(_ new: NewUser, now: Date = Date()) async throws -> UserRecord {
        try await database.withConnection { sql in
            let row = try await sql.insert(into: "users")
                .columns(
                    "id", "authorizer_id", "email", "first_name", "last_name", "role", "status", "client_id",
                    "created_at", "updated_at"
                )
                .values(
                    SQLBind(Identifier.make(now: now)), SQLBind(new.authorizerID), SQLBind(new.email),
                    SQLBind(new.firstName), SQLBind(new.lastName), SQLBind(new.role.rawValue),
                    SQLBind(new.status.rawValue), SQLBind(new.clientID), SQLBind(now), SQLBind(now)
                )
                .returning(UserRecord.columns.map { SQLColumn($0) })
                .first()
            guard let row else { throw PlatformDBError.unavailable("insert returned no row") }
            return try UserRecord(row: row)
        }
    }

    /// The user linked to `authorizerID`, through the unique index used on every request.
    public func find(authorizerID: String) async throws -> UserRecord? {
        try await first(where: "authorizer_id", equals: authorizerID)
    }

    /// The user with the platform id `id`.
    public func find(id: String) async throws -> UserRecord? {
        try await first(where: "id", equals: id)
    }

    private func first(where column: String, equals value: String) async throws -> UserRecord? {
        try await database.withConnection { sql in
            try await sql.select()
                .columns(UserRecord.columns.map { SQLColumn($0) })
                .from("users")
                .where(SQLColumn(column), .equal, SQLBind(value))
                .first()
                .map(UserRecord.init(row:))
        }
    }
}
