import SQLKit

/// PostgreSQL only: the row-level security policies admit the tenant of `platform_tenant()`, not
/// the bare `app.client_id`. With no key stored, `platform_tenant()` is `app.client_id` as before.
/// Once the schema owner stores a key (`platform migrate --tenant-key`, in `platform_tenant_key`,
/// which the app role cannot read), it admits a tenant only when `app.client_id` is
/// `<id>.<hex HMAC-SHA256(key, id)>` (``TenantProof``), so setting `app.client_id` to another
/// tenant's id admits no row. The function runs as the owner (SECURITY DEFINER) to read the key;
/// the policies call it as an uncorrelated sub-select, evaluated once per statement, not per row.
/// HMAC comes from pgcrypto (a trusted extension: the database's owner may create it). Every type,
/// function, table and operator in the function is named by schema, as a SECURITY DEFINER function
/// must be so that no role can put its own object first, and no role but a superuser may create
/// temporary objects (which are searched first for tables and types); a `SET search_path` clause
/// instead would cost a configuration save and restore on every call (measured with pgbench: about
/// 30 µs of the 45 µs a call cost with it). The key is readable by the owner alone.
struct ProveTheTenantSetting: Migration {
    let name = "20261130000009_prove_the_tenant_setting"

    func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws {
        guard dialect == .postgres else { return }
        try await sql.raw("CREATE EXTENSION IF NOT EXISTS pgcrypto").run()
        try await sql.raw(
            "CREATE TABLE platform_tenant_key (id BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (id), key TEXT NOT NULL)"
        ).run()
        try await sql.raw("REVOKE ALL ON platform_tenant_key FROM PUBLIC, platform_app").run()
        try await sql.raw(
            """
            CREATE FUNCTION platform_tenant() RETURNS pg_catalog.text AS $$
            DECLARE
              setting pg_catalog.text := pg_catalog.current_setting('app.client_id', true);
              stored pg_catalog.text;
              tenant pg_catalog.text;
            BEGIN
              SELECT k.key INTO stored FROM public.platform_tenant_key k;
              IF stored IS NULL THEN RETURN setting; END IF;
              tenant := pg_catalog.split_part(setting, '.', 1);
              IF pg_catalog.split_part(setting, '.', 2) OPERATOR(pg_catalog.=)
                  pg_catalog.encode(public.hmac(tenant, stored, 'sha256'), 'hex') THEN
                RETURN tenant;
              END IF;
              RETURN NULL;
            END $$ LANGUAGE plpgsql STABLE SECURITY DEFINER
            """
        ).run()
        // No temporary objects for anyone but superusers: a caller's temporary table or type is
        // searched first, and the functions that run as the owner must not meet one. The earlier
        // platform_row_tenant() gets pg_temp last in its path as well.
        try await sql.raw(
            """
            DO $$ BEGIN
              EXECUTE pg_catalog.format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC, platform_app', pg_catalog.current_database());
            END $$
            """
        ).run()
        try await sql.raw("ALTER FUNCTION platform_row_tenant(text, text) SET search_path = public, pg_temp").run()
        let policies = EnableRowLevelSecurity.policies(tenant: "client_id = (SELECT platform_tenant())")
        for policy in policies {
            try await sql.raw(
                """
                ALTER POLICY tenant_isolation ON \(ident: policy.table)
                USING (\(unsafeRaw: policy.using)) WITH CHECK (\(unsafeRaw: policy.check))
                """
            ).run()
        }
    }
}
