import SQLKit

/// PostgreSQL only: the application role cannot make a platform operator. `platform_operators`
/// lists, by Authorizer id, who may be one; only the schema owner writes it (`platform migrate
/// --super-admin <id>`), and `platform_app` may read it. A trigger refuses a row that becomes
/// SUPER_ADMIN, or a SUPER_ADMIN row whose Authorizer id changes, for a member of `platform_app`
/// (not a superuser) unless its Authorizer id is listed (SQLSTATE 42501). Ids, not emails: the app
/// role can rewrite a row's email, while a row carrying another user's Authorizer id is that
/// user's (sign-in finds rows by the token's subject). The function pins its `search_path`
/// (`pg_catalog, pg_temp`) and names every object by schema, so no temporary table or type of the
/// caller's can stand in for the list. The owner itself, and superusers, are not restricted.
struct ReserveOperatorsToTheOwner: Migration {
    let name = "20261130000008_reserve_operators_to_the_owner"

    func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws {
        guard dialect == .postgres else { return }
        try await sql.raw(
            "CREATE TABLE platform_operators (identity TEXT PRIMARY KEY NOT NULL, listed_at TIMESTAMP NOT NULL DEFAULT now())"
        ).run()
        try await sql.raw("REVOKE ALL ON platform_operators FROM PUBLIC").run()
        try await sql.raw("GRANT SELECT ON platform_operators TO platform_app").run()
        try await sql.raw(
            """
            CREATE FUNCTION platform_guard_operator_role() RETURNS trigger AS $$
            BEGIN
              IF NEW.role = 'SUPER_ADMIN'
                  AND (TG_OP = 'INSERT' OR OLD.role IS DISTINCT FROM 'SUPER_ADMIN'
                       OR OLD.authorizer_id IS DISTINCT FROM NEW.authorizer_id)
                  AND pg_catalog.pg_has_role(current_user, 'platform_app', 'MEMBER')
                  AND NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user)
                  AND NOT EXISTS (SELECT 1 FROM public.platform_operators o WHERE o.identity = NEW.authorizer_id) THEN
                RAISE EXCEPTION 'only the schema owner names platform operators: list this user''s Authorizer id with platform migrate --super-admin'
                  USING ERRCODE = 'insufficient_privilege';
              END IF;
              RETURN NEW;
            END $$ LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
            """
        ).run()
        try await sql.raw(
            """
            CREATE TRIGGER users_operator_listed BEFORE INSERT OR UPDATE OF role, authorizer_id ON users
            FOR EACH ROW EXECUTE FUNCTION platform_guard_operator_role()
            """
        ).run()
    }
}
