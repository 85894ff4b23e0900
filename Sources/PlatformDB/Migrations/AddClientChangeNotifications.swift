import SQLKit

/// PostgreSQL only: every change to a tenant (`clients` row) announces its id on the channel
/// `platform_client_changed`, so every gateway instance drops the user contexts that carry it. A
/// tenant suspended by an operator kept writing for 2-3 s on every instance, the user-context
/// lifetime, while a user's suspension was immediate.
struct AddClientChangeNotifications: Migration {
    let name = "20261130000003_add_client_change_notifications"
    static let channel = "platform_client_changed"

    func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws {
        guard dialect == .postgres else { return }
        try await sql.raw(
            """
            CREATE OR REPLACE FUNCTION platform_notify_client_change() RETURNS trigger AS $$
            BEGIN
              IF TG_OP = 'DELETE' THEN
                PERFORM pg_notify('\(unsafeRaw: Self.channel)', OLD.id);
              ELSE
                PERFORM pg_notify('\(unsafeRaw: Self.channel)', NEW.id);
              END IF;
              RETURN NULL;
            END $$ LANGUAGE plpgsql
            """
        ).run()
        try await sql.raw(
            """
            CREATE TRIGGER clients_notify_change AFTER UPDATE OR DELETE ON clients
            FOR EACH ROW EXECUTE FUNCTION platform_notify_client_change()
            """
        ).run()
    }
}

extension Migrator {
    /// The channel on which PostgreSQL announces tenant changes (see ``AddClientChangeNotifications``).
    public static let tenantChangeChannel = AddClientChangeNotifications.channel
}
