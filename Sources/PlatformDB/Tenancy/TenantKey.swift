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

    /// Why the gateway must not start with this process's key (``TenantProof``), or nil: the key
    /// is not the one the database checks (a probe tenant's setting is not admitted by
    /// `platform_tenant()`), or there is no key while the role is restricted (a member of
    /// `platform_app`, not a superuser), which would let it claim any tenant. Nil on SQLite and
    /// before the migration.
    public static func refusal(_ database: PlatformDatabase) async throws -> String? {
        guard database.dialect == .postgres else { return nil }
        let keyed = TenantProof.isKeyed
        let (present, restricted) = try await database.withConnection { sql in
            let row = try await sql.raw(
                """
                SELECT to_regprocedure('platform_tenant()') IS NOT NULL AS present,
                       pg_has_role(current_user, 'platform_app', 'MEMBER') AND NOT rolsuper AS restricted
                FROM pg_roles WHERE rolname = current_user
                """
            ).first()
            let present = try row?.decode(column: "present", as: Bool.self) ?? false
            let restricted = try row?.decode(column: "restricted", as: Bool.self) ?? false
            return (present, restricted)
        }
        guard present else { return nil }
        let probe = "tenant-key-probe"
        let admitted = try await database.transaction(
            settings: [(PlatformDatabase.tenantSetting, TenantProof.setting(for: probe))]
        ) { sql in
            try await sql.raw("SELECT platform_tenant() AS tenant").first()?.decode(column: "tenant", as: String?.self)
        }
        if admitted != probe {
            return keyed
                ? "--tenant-key (TENANT_KEY) is not the key the database checks tenants with: give serve the key `platform migrate --tenant-key` stored"
                : "the database checks tenants with a key: give serve the TENANT_KEY that `platform migrate --tenant-key` stored"
        }
        if !keyed, restricted {
            return
                "--tenant-key (TENANT_KEY) is required for a role that row-level security binds: without it any tenant can be claimed with app.client_id. Store one with `platform migrate --tenant-key` as the owner and give serve the same (docs/operations.md)"
        }
        return nil
    }
}
