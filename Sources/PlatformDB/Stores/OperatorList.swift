import Foundation
import SQLKit

/// `platform_operators` (PostgreSQL, ``ReserveOperatorsToTheOwner``): who the schema owner allows
/// to be a platform operator, by Authorizer id or email. On SQLite there is no list and no guard.
public struct OperatorList: Sendable {
    let database: PlatformDatabase

    public init(_ database: PlatformDatabase) { self.database = database }

    /// Lists `identities` (already normalised); a no-op for those listed and on SQLite. Only the
    /// schema owner (or a superuser) may write the list.
    public func add(_ identities: [String], now: Date = Date()) async throws {
        guard database.dialect == .postgres, !identities.isEmpty else { return }
        try await database.withConnection { sql in
            for identity in identities {
                try await sql.raw(
                    """
                    INSERT INTO platform_operators (identity, listed_at) VALUES (\(bind: identity), \(bind: now))
                    ON CONFLICT (identity) DO NOTHING
                    """
                ).run()
            }
        }
    }

    /// Those of `identities` the guard would refuse to make operators: not listed, while this
    /// connection's role is restricted (a member of `platform_app`, not a superuser). Empty on
    /// SQLite, for the owner, and before the list's migration.
    public func missing(_ identities: [String]) async throws -> [String] {
        guard database.dialect == .postgres, !identities.isEmpty else { return [] }
        return try await database.withConnection { sql in
            let restricted =
                try await sql.raw(
                    """
                    SELECT to_regclass('public.platform_operators') IS NOT NULL
                      AND pg_has_role(current_user, 'platform_app', 'MEMBER') AND NOT rolsuper AS restricted
                    FROM pg_roles WHERE rolname = current_user
                    """
                ).first()?.decode(column: "restricted", as: Bool.self) ?? false
            guard restricted else { return [] }
            let listed = Set(
                try await sql.raw("SELECT identity FROM platform_operators").all().map {
                    try $0.decode(column: "identity", as: String.self)
                })
            return identities.filter { !listed.contains($0) }
        }
    }
}
