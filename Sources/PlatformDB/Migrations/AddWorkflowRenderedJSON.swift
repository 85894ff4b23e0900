import SQLKit

/// PostgreSQL only: each workflow keeps itself written as the API's JSON in `rendered_json`,
/// kept by a trigger on every insert and update (whatever makes the change), so that an uncached
/// `GET /workflows` page is one text read (``WorkflowPages``) instead of 21 rows of 10 columns
/// decoded and written again by the gateway, or written by PostgreSQL on every read (which
/// doubled PostgreSQL's CPU per page; benchmarks/RESULTS.md).
///
/// The JSON is the gateway's `WorkflowDTO`: the same keys in the same order, strings escaped by
/// `to_json` (as its `JSONWriter` escapes them), no `description` or `createdBy` key when null, a
/// definition that is not an object as `{}`, and dates as ISO 8601 whole seconds in UTC (the
/// columns hold UTC). `RenderedPageTests` compares the bytes. The previous binary ignores the
/// column, and its writes fire the trigger too. The trigger runs as the writer; `to_json` is named
/// by schema, since a `public.to_json(text)` would match exactly where `pg_catalog`'s is
/// polymorphic (the other functions and operators match `pg_catalog`'s exactly, which is searched
/// first).
struct AddWorkflowRenderedJSON: Migration {
    let name = "20261130000011_add_workflow_rendered_json"

    func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws {
        guard dialect == .postgres else { return }
        try await sql.raw("ALTER TABLE workflows ADD COLUMN rendered_json TEXT").run()
        try await sql.raw(
            #"""
            CREATE OR REPLACE FUNCTION platform_render_workflow() RETURNS trigger AS $$
            BEGIN
              NEW.rendered_json := '{"id":' || pg_catalog.to_json(NEW.id)::text || ',"name":' || pg_catalog.to_json(NEW.name)::text
                || CASE WHEN NEW.description IS NULL THEN '' ELSE ',"description":' || pg_catalog.to_json(NEW.description)::text END
                || ',"status":' || pg_catalog.to_json(NEW.status)::text
                || ',"definition":' || CASE WHEN NEW.definition LIKE '{%}' THEN NEW.definition ELSE '{}' END
                || ',"version":' || NEW.version::text
                || CASE WHEN NEW.created_by IS NULL THEN '' ELSE ',"createdBy":' || pg_catalog.to_json(NEW.created_by)::text END
                || ',"createdAt":"' || to_char(NEW.created_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                || '","updatedAt":"' || to_char(NEW.updated_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || '"}';
              RETURN NEW;
            END $$ LANGUAGE plpgsql
            """#
        ).run()
        try await sql.raw(
            """
            CREATE TRIGGER workflows_render BEFORE INSERT OR UPDATE ON workflows
            FOR EACH ROW EXECUTE FUNCTION platform_render_workflow()
            """
        ).run()
        // Every existing row through the trigger, then the column may not be empty.
        try await sql.raw("UPDATE workflows SET rendered_json = NULL").run()
        try await sql.raw("ALTER TABLE workflows ALTER COLUMN rendered_json SET NOT NULL").run()
    }
}
