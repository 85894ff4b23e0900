/// The platform database's migrations against those this binary knows (``Migrator/status(_:)``).
public struct SchemaStatus: Sendable, Equatable {
    /// Migrations this binary knows that the database has not applied, in order.
    public var pending: [String]
    /// Migrations the database has applied that this binary does not know: a newer binary ran them.
    public var unknown: [String]
}
