import SQLKit

/// PostgreSQL only: every change to a `users` row announces its `authorizer_id` on the channel
/// `platform_user_changed`, so every gateway instance drops its cached copy, whatever made the change.
struct AddUserChangeNotifications: Migration {
    let name = "20261129000003_add_user_change_notifications"
    static let channel = "platform_user_changed"

    func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws {
        guard dialect == .postgres else { return }
        try await sql.raw(
            """
            CREATE OR REPLACE FUNCTION platform_notify_user_change() RETURNS trigger AS $$
            BEGIN
              IF TG_OP = 'DELETE' THEN
                PERFORM pg_notify('\(unsafeRaw: Self.channel)', OLD.authorizer_id);
              ELSE
                PERFORM pg_notify('\(unsafeRaw: Self.channel)', NEW.authorizer_id);
              END IF;
              RETURN NULL;
            END $$ LANGUAGE plpgsql
            """
        ).run()
        try await sql.raw(
            """
            CREATE TRIGGER users_notify_change AFTER INSERT OR UPDATE OR DELETE ON users
            FOR EACH ROW EXECUTE FUNCTION platform_notify_user_change()
            """
        ).run()
    }
}

extension Migrator {
    /// The channel on which PostgreSQL announces user changes (see ``AddUserChangeNotifications``).
    public static let userChangeChannel = AddUserChangeNotifications.channel
}
