import AuthorizerClient
import Hummingbird
import PlatformDB

/// `/healthz` (the process is up) and `/readyz`: the database answers and is fully migrated,
/// Authorizer answers, and its JWKS is loaded (when tokens are checked with it).
struct HealthController: Sendable {
    let database: PlatformDatabase
    let migrator: Migrator
    var authorizer: AuthorizerClient?
    var jwks: JWKSCache?

    func addRoutes(to router: Router<some RequestContext>) {
        router.get("/healthz") { _, _ in Status(status: "ok", checks: [:]) }
        router.get("/readyz") { _, _ in try await readiness() }
    }

    struct Status: ResponseCodable {
        var status: String
        var checks: [String: String]
    }

    /// 200 with each check's state, or 503 with a problem naming the failing checks.
    private func readiness() async throws -> Status {
        var checks: [String: String] = [:]
        if await database.ping() {
            checks["database"] = "ok"
            if let pending = try? await migrator.pending(database) {
                checks["migrations"] = pending.isEmpty ? "ok" : "\(pending.count) pending"
            } else {
                checks["migrations"] = "unknown"
            }
        } else {
            checks["database"] = "unreachable"
            checks["migrations"] = "unknown"
        }
        var reachable = true
        if let authorizer {
            reachable = await authorizer.isReachable()
            checks["authorizer"] = reachable ? "ok" : "unreachable"
        }
        if let jwks {
            if reachable, await !jwks.isLoaded { await jwks.refresh() }
            checks["jwks"] = await jwks.isLoaded ? "ok" : "not loaded"
        }
        let failing = checks.filter { $0.value != "ok" }.keys.sorted()
        guard failing.isEmpty else {
            throw Problem(
                .serviceUnavailable, type: "not-ready", title: "Not ready",
                detail: failing.map { "\($0): \(checks[$0]!)" }.joined(separator: "; ")
            )
        }
        return Status(status: "ready", checks: checks)
    }
}
