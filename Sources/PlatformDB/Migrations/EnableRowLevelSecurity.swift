import SQLKit

/// PostgreSQL only: row-level security on every tenant-owned table, a second guard behind each
/// query's `client_id` filter. Policies read the per-transaction `app.client_id`
/// (``PlatformDatabase/scoped(_:_:)`` sets it). They bind roles that do not own the tables and
/// lack BYPASSRLS: run the application as such a role and migrations as the owner (docs/operations.md).
/// `users` and `clients` stay without policies: sign-in finds a user before its tenant is known.
struct EnableRowLevelSecurity: Migration {
    let name = "20261129000006_enable_row_level_security"

    func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws {
        guard dialect == .postgres else { return }
        for policy in Self.policies(tenant: "client_id = current_setting('app.client_id', true)") {
            try await sql.raw("ALTER TABLE \(ident: policy.table) ENABLE ROW LEVEL SECURITY").run()
            try await sql.raw(
                """
                CREATE POLICY tenant_isolation ON \(ident: policy.table)
                USING (\(unsafeRaw: policy.using)) WITH CHECK (\(unsafeRaw: policy.check))
                """
            ).run()
        }
    }

    /// Each tenant table's policy (`USING`, `WITH CHECK`) around `tenant`, the condition that a
    /// row's `client_id` is the transaction's tenant (``ProveTheTenantSetting`` changes it).
    static func policies(tenant: String) -> [(table: String, using: String, check: String)] {
        [
            ("workflows", tenant, tenant),
            ("reports", tenant, tenant),
            ("invitations", "\(tenant) OR token_hash = current_setting('app.invitation_token_hash', true)", tenant),
            // Platform-wide entries (a refused webhook) have no tenant.
            ("audit_log", "client_id IS NULL OR \(tenant)", "client_id IS NULL OR \(tenant)"),
        ]
    }
}
