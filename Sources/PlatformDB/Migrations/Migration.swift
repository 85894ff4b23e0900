import SQLKit

/// One named, ordered schema change. It runs inside the migrator's transaction.
public protocol Migration: Sendable {
    /// The name recorded in `platform_migrations`; never changes once released.
    var name: String { get }
    /// Applies the change.
    func prepare(on sql: any SQLDatabase, dialect: SQLDialectKind) async throws
}
