import Crypto
import Foundation
import Synchronization

/// What the gateway puts in `app.client_id` for a tenant: the tenant's id, and with a tenant key
/// (`--tenant-key`) its proof, `<id>.<hex HMAC-SHA256(key, id)>`. The row-level security policies
/// admit a tenant only through `platform_tenant()` (``ProveTheTenantSetting``), which checks that
/// proof with the key the schema owner stored, so a role that can run SQL but does not hold the
/// key (an injection, the app role's stolen password) cannot set itself into another tenant.
/// Without a key, the setting is the bare id, as before.
public enum TenantProof {
    private static let key = Mutex<SymmetricKey?>(nil)

    /// Sets the process's tenant key (once, at start); nil turns proofs off.
    public static func use(key text: String?) {
        key.withLock { $0 = text.map { SymmetricKey(data: Data($0.utf8)) } }
    }

    /// Whether a key is set.
    public static var isKeyed: Bool { key.withLock { $0 != nil } }

    /// The value of `app.client_id` for `tenantID`: the id, with its proof when a key is set.
    public static func setting(for tenantID: String) -> String {
        guard let key = key.withLock({ $0 }) else { return tenantID }
        let code = HMAC<SHA256>.authenticationCode(for: Data(tenantID.utf8), using: key)
        return tenantID + "." + Data(code).lowercaseHex
    }
}
