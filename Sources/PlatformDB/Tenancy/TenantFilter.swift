import SQLKit

/// The tenant filter, written once: `client_id` equals the tenant and, on PostgreSQL, the
/// row-level security setting is made for this one statement. ``TenantGate`` (every SQLKit query
/// and write, through ``SQLPredicateBuilder/whereTenant(_:)``) and the prepared workflow reads
/// (``WorkflowPages``) both render it from ``postgres``/``sqlite``.
///
/// A transaction costs three extra round trips (BEGIN, `set_config`, COMMIT), which measured
/// 1.5× on `GET /workflows`. Here the setting is made by an uncorrelated sub-select compared with
/// a parameter: PostgreSQL plans that as a one-time filter of a `Result` node above the scan, so
/// the `set_config` runs before the first row is fetched and its `is_local` value ends with the
/// statement's own implicit transaction. Should a planner ever order it otherwise, the policy sees
/// no setting and admits no rows: the gate fails closed. `RowLevelSecurityTests` runs these reads
/// as a role that row-level security binds.
enum TenantFilter {
    /// The filter on PostgreSQL: the first two `?` stand for the setting (``TenantScope/setting``,
    /// the id with its proof), the third for the tenant's id.
    static let postgres = "(SELECT set_config('\(PlatformDatabase.tenantSetting)', ?, true)) = ? AND client_id = ?"
    /// The filter on SQLite, which has no row-level security: the `client_id` filter is the guard.
    static let sqlite = "client_id = ?"

    /// The PostgreSQL filter with prepared statements' parameters: `setting` for the setting, `tenant` for the id.
    static func postgres(setting: String, tenant: String) -> String {
        "(SELECT set_config('\(PlatformDatabase.tenantSetting)', \(setting), true)) = \(setting) AND client_id = \(tenant)"
    }
}
