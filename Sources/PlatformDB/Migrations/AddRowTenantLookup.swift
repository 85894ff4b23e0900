import SQLKit

/// PostgreSQL only: `platform_row_tenant(table, id)` tells which tenant owns a row, whatever the
/// caller's row-level security admits. It runs as the tables' owner (SECURITY DEFINER), answers
/// only for the tenant tables, and returns nothing but the `client_id`. It lets the gateway audit
/// a refused cross-tenant attempt while still answering 404.
struct AddRowTenantLookup: Migration {
    let name = "20261129000007_add_row_tenant_lookup"

    func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws {
        guard dialect == .postgres else { return }
        try await sql.raw(
            """
            CREATE FUNCTION platform_row_tenant(tbl text, row_id text) RETURNS text
            LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
            DECLARE owner_id text;
            BEGIN
              IF tbl NOT IN ('workflows', 'reports', 'invitations', 'users') THEN
                RETURN NULL;
              END IF;
              EXECUTE format('SELECT client_id FROM %I WHERE id = $1', tbl) INTO owner_id USING row_id;
              RETURN owner_id;
            END $$
            """
        ).run()
    }
}
