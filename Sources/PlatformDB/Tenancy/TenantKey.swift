import Foundation
import SQLKit

/// The tenant key as the database holds it (`platform_tenant_key`, ``ProveTheTenantSetting``):
/// written by the schema owner, checked by `platform_tenant()`, never readable by the app role.
public enum TenantKey {
    /// Stores `key` (PostgreSQL; a no-op on SQLite, which has no row-level security). The schema
    /// owner's role only.
    public static func store(_ key: String, in database: PlatformDatabase) async throws {
        guard database.dialect == .postgres else { return }
        try await database.withConnection { sql in
            try await sql.raw(
                """
                INSERT INTO platform_tenant_key (id, key) VALUES (TRUE, \(bind: key))
                ON CONFLICT (id) DO UPDATE SET key = EXCLUDED.key
                """
            ).run()
        }
    }

    /// Whether this process's key (``TenantProof``) is the one the database checks: a probe
    /// tenant's setting is admitted by `platform_tenant()`. True on SQLite and before the migration.
    public static func matches(_ database: PlatformDatabase) async throws -> Bool {
        guard database.dialect == .postgres else { return true }
        let present = try await database.withConnection { sql in
            try await sql.raw("SELECT to_regprocedure('platform_tenant()') IS NOT NULL AS present").first()?
                .decode(column: "present", as: Bool.self) ?? false
        }
        guard present else { return true }
        let probe = "tenant-key-probe"
        return try await database.transaction(settings: [
            (PlatformDatabase.tenantSetting, TenantProof.setting(for: probe))
        ]) { sql in
            try await sql.raw("SELECT platform_tenant() AS tenant").first()?.decode(column: "tenant", as: String?.self)
                == probe
        }
    }
}
