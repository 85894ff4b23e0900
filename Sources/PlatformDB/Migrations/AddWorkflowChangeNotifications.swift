import SQLKit

/// PostgreSQL only: every change to `workflows` announces the owning tenant's `client_id` on the
/// channel `platform_workflows_changed` (and `*` after a `TRUNCATE`), so every gateway instance
/// drops the pages it cached for that tenant, whatever made the change. PostgreSQL sends a
/// transaction's identical notifications once, at commit.
struct AddWorkflowChangeNotifications: Migration {
    let name = "20261129000009_add_workflow_change_notifications"
    static let channel = "platform_workflows_changed"

    func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws {
        guard dialect == .postgres else { return }
        try await sql.raw(
            """
            CREATE OR REPLACE FUNCTION platform_notify_workflow_change() RETURNS trigger AS $$
            BEGIN
              IF TG_OP = 'TRUNCATE' THEN
                PERFORM pg_notify('\(unsafeRaw: Self.channel)', '*');
                RETURN NULL;
              END IF;
              IF TG_OP <> 'INSERT' THEN
                PERFORM pg_notify('\(unsafeRaw: Self.channel)', OLD.client_id);
              END IF;
              IF TG_OP <> 'DELETE' THEN
                PERFORM pg_notify('\(unsafeRaw: Self.channel)', NEW.client_id);
              END IF;
              RETURN NULL;
            END $$ LANGUAGE plpgsql
            """
        ).run()
        try await sql.raw(
            """
            CREATE TRIGGER workflows_notify_change AFTER INSERT OR UPDATE OR DELETE ON workflows
            FOR EACH ROW EXECUTE FUNCTION platform_notify_workflow_change()
            """
        ).run()
        try await sql.raw(
            """
            CREATE TRIGGER workflows_notify_truncate AFTER TRUNCATE ON workflows
            FOR EACH STATEMENT EXECUTE FUNCTION platform_notify_workflow_change()
            """
        ).run()
    }
}

extension Migrator {
    /// The channel on which PostgreSQL announces changes to a tenant's workflows (see
    /// ``AddWorkflowChangeNotifications``): the payload is a `client_id`, or `*` for every tenant.
    public static let workflowChangeChannel = AddWorkflowChangeNotifications.channel
}
