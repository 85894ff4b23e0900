import SQLKit

/// A platform operator (SUPER_ADMIN) never belongs to a tenant, by construction: a trigger refuses
/// a row that is SUPER_ADMIN with a tenant, and an operator's row that gains a tenant (accepting an
/// invitation once made an operator a tenant's USER, their `/admin/*` rights gone). The
/// refusal is a CHECK violation (SQLSTATE 23514; SQLite "CHECK constraint failed") so callers see a
/// constraint, not an outage.
struct ForbidOperatorsInTenants: Migration {
    let name = "20261130000001_forbid_operators_in_tenants"
    static let message = "CHECK constraint failed: operator_without_tenant"

    func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws {
        switch dialect {
        case .postgres:
            try await sql.raw(
                """
                CREATE OR REPLACE FUNCTION platform_forbid_operator_in_tenant() RETURNS trigger AS $$
                BEGIN
                  IF NEW.client_id IS NOT NULL AND (NEW.role = 'SUPER_ADMIN'
                      OR (TG_OP = 'UPDATE' AND OLD.role = 'SUPER_ADMIN' AND OLD.client_id IS NULL)) THEN
                    RAISE EXCEPTION '\(unsafeRaw: Self.message)' USING ERRCODE = 'check_violation',
                      CONSTRAINT = 'operator_without_tenant';
                  END IF;
                  RETURN NEW;
                END $$ LANGUAGE plpgsql
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER users_operator_without_tenant BEFORE INSERT OR UPDATE ON users
                FOR EACH ROW EXECUTE FUNCTION platform_forbid_operator_in_tenant()
                """
            ).run()
        case .sqlite:
            try await sql.raw(
                """
                CREATE TRIGGER users_operator_without_tenant_insert BEFORE INSERT ON users
                WHEN NEW.client_id IS NOT NULL AND NEW.role = 'SUPER_ADMIN'
                BEGIN SELECT RAISE(ABORT, '\(unsafeRaw: Self.message)'); END
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER users_operator_without_tenant_update BEFORE UPDATE ON users
                WHEN NEW.client_id IS NOT NULL AND (NEW.role = 'SUPER_ADMIN' OR (OLD.role = 'SUPER_ADMIN' AND OLD.client_id IS NULL))
                BEGIN SELECT RAISE(ABORT, '\(unsafeRaw: Self.message)'); END
                """
            ).run()
        }
    }
}
