import AuthorizerClient
import Foundation
import Hummingbird
import Metrics
import PlatformDB

/// `/healthz` (the process is up) and `/readyz`: whether this instance can serve its traffic. The
/// database answers and is fully migrated, the JWKS is loaded (when tokens are checked with it),
/// the webhook inbox moves (no event has been due for longer than `inboxStallAfter`), and the
/// instance is not draining. Authorizer's reachability is a check only in `remote` mode, where every
/// request needs it; in `local` and `hybrid` modes requests are served without it, so it is a
/// detail (and the `authorizer_reachable` gauge), and an outage does not take the fleet out of its
/// balancer. Parked webhook events are a detail too.
struct HealthController: RouteAdding, Sendable {
    let database: PlatformDatabase
    let migrator: Migrator
    var authorizer: AuthorizerClient?
    var jwks: JWKSCache?
    var inbox: WebhookInbox?
    /// This instance's worker, whose standing still is what makes a waiting event a stall here.
    var worker: WebhookWorker?
    /// How long an event may be due and not applied, while this instance's workers have not moved
    /// either, before the inbox counts as stalled: every instance's worker looks each second, and a
    /// retry's backoff is not "due". A long queue that the workers are working through is not a
    /// stall, so a burst of webhooks does not take every instance out of a balancer at once.
    var inboxStallAfter: TimeInterval = 60
    /// Whether Authorizer must answer for this instance to be ready (`remote` mode).
    var needsAuthorizer = false
    var draining: Draining
    let authorizerReachable = Gauge(label: "authorizer_reachable")

    /// The checks of `services`: Authorizer and the JWKS when configured (the JWKS only when tokens
    /// are checked locally), the inbox when a worker applies it.
    init(_ services: GatewayServices) {
        database = services.stores.database
        migrator = services.migrator
        authorizer = services.auth?.client
        jwks = services.auth?.settings.guardMode == .remote ? nil : services.auth?.jwks
        inbox = services.worker == nil ? nil : services.stores.inbox
        worker = services.worker
        inboxStallAfter = Double(services.configuration.webhookStallAfter.components.seconds)
        needsAuthorizer = services.auth?.settings.guardMode == .remote
        draining = services.configuration.draining
    }

    func addRoutes(to routes: RouteGroups) {
        let router = routes.open
        router.get("/healthz") { _, _ in Status(status: "ok", checks: [:]) }
        router.get("/readyz") { _, _ in try await readiness() }
    }

    struct Status: ResponseCodable {
        var status: String
        var checks: [String: String]
        /// What is reported but does not make the instance unready.
        var details: [String: String]? = nil
    }

    /// 200 with each check's state, or 503 with a problem naming the failing checks.
    private func readiness() async throws -> Status {
        // Draining answers at once: the balancer must see it within its probe interval.
        if draining.isDraining {
            throw Problem(.serviceUnavailable, type: "not-ready", title: "Not ready", detail: "draining: shutting down")
        }
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
        if let inbox, checks["database"] == "ok" {
            let now = Date()
            let still = worker.map { Double($0.standingStill.components.seconds) } ?? .infinity
            if still > inboxStallAfter, let due = try? await inbox.oldestDue(now: now),
                now.timeIntervalSince(due) > inboxStallAfter
            {
                checks["webhook_inbox"] =
                    "stalled: an event has been due for \(Int(now.timeIntervalSince(due).rounded(.down))) s"
            } else {
                checks["webhook_inbox"] = "ok"
            }
        }
        var details: [String: String] = [:]
        if let parked = worker?.parkedEvents, parked > 0 {
            details["webhook_inbox_failed"] = "\(parked) parked (platform webhooks list --status failed)"
        }
        var reachable = true
        if let authorizer {
            reachable = await authorizer.isReachable()
            authorizerReachable.record(reachable ? 1 : 0)
            if needsAuthorizer {
                checks["authorizer"] = reachable ? "ok" : "unreachable"
            } else {
                details["authorizer"] = reachable ? "ok" : "unreachable (tokens are checked without it)"
            }
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
        return Status(status: "ready", checks: checks, details: details.isEmpty ? nil : details)
    }
}
