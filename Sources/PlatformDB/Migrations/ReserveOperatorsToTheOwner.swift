import SQLKit

/// PostgreSQL only: the application role cannot make a platform operator. `platform_operators`
/// lists who may be one, by Authorizer id or email; only the schema owner writes it (`platform
/// migrate --super-admin …`), and `platform_app` may read it. A trigger refuses a row that becomes
/// SUPER_ADMIN for a member of `platform_app` (not a superuser) unless its id or email is listed,
/// so an injected `UPDATE users SET role = 'SUPER_ADMIN'` fails (SQLSTATE 42501), while `serve
/// --super-admin` still promotes the operators the owner listed. The owner itself, and the
/// console run with the owner's URL, are not restricted.
struct ReserveOperatorsToTheOwner: Migration {
    let name = "20261130000008_reserve_operators_to_the_owner"

    func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws {
        guard dialect == .postgres else { return }
        try await sql.raw(
            "CREATE TABLE platform_operators (identity TEXT PRIMARY KEY NOT NULL, listed_at TIMESTAMP NOT NULL DEFAULT now())"
        ).run()
        try await sql.raw("GRANT SELECT ON platform_operators TO platform_app").run()
        try await sql.raw(
            """
            CREATE FUNCTION platform_guard_operator_role() RETURNS trigger AS $$
            BEGIN
              IF NEW.role = 'SUPER_ADMIN' AND (TG_OP = 'INSERT' OR OLD.role IS DISTINCT FROM 'SUPER_ADMIN')
                  AND pg_has_role(current_user, 'platform_app', 'MEMBER')
                  AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
                  AND NOT EXISTS (SELECT 1 FROM platform_operators
                                  WHERE identity IN (NEW.authorizer_id, lower(NEW.authorizer_id), NEW.email, lower(NEW.email))) THEN
                RAISE EXCEPTION 'only the schema owner names platform operators: list this user with platform migrate --super-admin'
                  USING ERRCODE = 'insufficient_privilege';
              END IF;
              RETURN NEW;
            END $$ LANGUAGE plpgsql
            """
        ).run()
        try await sql.raw(
            """
            CREATE TRIGGER users_operator_listed BEFORE INSERT OR UPDATE OF role ON users
            FOR EACH ROW EXECUTE FUNCTION platform_guard_operator_role()
            """
        ).run()
    }
}
