import AuthorizerClient
import Foundation
import Logging
import Metrics
import PlatformDB
import SQLKit
import ServiceLifecycle

/// Brings the platform's users in step with Authorizer, which retries no webhook: pages through
/// `_users` with the admin secret, creates missing users, updates drifted profiles, and marks users
/// gone from Authorizer as DELETED. Idempotent: a second run finds no drift.
public struct Reconciler: Sendable {
    let client: AuthorizerClient
    let database: PlatformDatabase
    let roles: RoleMapping
    let logger: Logger
    let pageSize: Int

    public init(client: AuthorizerClient, database: PlatformDatabase, roles: RoleMapping = RoleMapping(), pageSize: Int = 100, logger: Logger) {
        self.client = client
        self.database = database
        self.roles = roles
        self.pageSize = pageSize
        self.logger = logger
    }

    /// What a run found (and, unless dry, changed).
    public struct Report: Codable, Sendable, Equatable, CustomStringConvertible {
        public var created = 0
        public var updated = 0
        public var deleted = 0
        public var unchanged = 0
        public var dryRun = false

        public var drift: Int { created + updated + deleted }
        public var description: String {
            "\(dryRun ? "drift (dry run)" : "reconciled"): created \(created), updated \(updated), deleted \(deleted), unchanged \(unchanged)"
        }
    }

    /// Runs once. `progress` is called with (users seen, total) after each page.
    public func run(dryRun: Bool, progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Report {
        var report = Report(dryRun: dryRun)
        var seen = Set<String>()
        var page = 1
        var total = 0
        let users = UserStore(database)
        repeat {
            let (batch, reportedTotal) = try await client.users(page: page, limit: pageSize)
            total = reportedTotal
            // The page's platform rows in one query, not one lookup per user.
            let existing = try await users.find(authorizerIDs: batch.map(\.id))
            for info in batch {
                seen.insert(info.id)
                try await reconcile(info, existing: existing[info.id], users: users, dryRun: dryRun, report: &report)
            }
            progress(seen.count, total)
            if batch.isEmpty { break }
            page += 1
        } while seen.count < total
        // Only a complete listing may delete: a short one would mark live users as gone.
        guard seen.count >= total else {
            throw AuthorizerClientError.protocolError("listing ended at \(seen.count) of \(total) users; nothing deleted")
        }
        let platformIDs = try await database.withConnection { sql in
            try await sql.raw("SELECT authorizer_id FROM users WHERE status <> 'DELETED'").all()
                .map { try $0.decode(column: "authorizer_id", as: String.self) }
        }
        for id in platformIDs where !seen.contains(id) {
            report.deleted += 1
            if !dryRun {
                try await database.withConnection { sql in
                    try await UserStore.setStatus(.deleted, authorizerID: id, now: Date(), on: sql)
                }
            }
        }
        logger.info("\(report)")
        if !dryRun {
            for (kind, count) in [("created", report.created), ("updated", report.updated), ("deleted", report.deleted)] {
                Counter(label: "reconcile_drift_total", dimensions: [("kind", kind)]).increment(by: count)
            }
        }
        return report
    }

    private func reconcile(
        _ info: AuthorizerUserInfo, existing: UserRecord?, users: UserStore, dryRun: Bool, report: inout Report
    ) async throws {
        guard let email = info.email else { return }
        let wanted: UserStatus = info.revokedTimestamp != nil ? .suspended : (info.emailVerified ? .active : .pendingVerification)
        guard let existing else {
            report.created += 1
            if !dryRun {
                var created = try await users.upsertFromAuthorizer(
                    .init(
                        authorizerID: info.id, email: email, firstName: info.givenName, lastName: info.familyName, status: wanted,
                        roleForNewUser: roles.role(email: email, authorizerID: info.id, authorizerRoles: info.roles)))
                if created.status != wanted { created = try await setStatus(wanted, info.id) ?? created }
            }
            return
        }
        // Status moves only on Authorizer's facts: a revocation, a verification, or a user the
        // platform marked deleted who exists after all. A suspension made in the platform stays.
        var target: UserStatus?
        if existing.status == .deleted {
            target = wanted
        } else if info.revokedTimestamp != nil, existing.status != .suspended {
            target = .suspended
        } else if existing.status == .pendingVerification, wanted == .active {
            target = .active
        }
        let drifted = existing.email != email || existing.firstName != info.givenName || existing.lastName != info.familyName
            || target != nil
        guard drifted else {
            report.unchanged += 1
            return
        }
        report.updated += 1
        guard !dryRun else { return }
        try await users.upsertFromAuthorizer(
            .init(authorizerID: info.id, email: email, firstName: info.givenName, lastName: info.familyName, status: wanted))
        if let target { _ = try await setStatus(target, info.id) }
    }

    private func setStatus(_ status: UserStatus, _ id: String) async throws -> UserRecord? {
        try await database.withConnection { sql in try await UserStore.setStatus(status, authorizerID: id, now: Date(), on: sql) }
    }
}

/// The scheduled reconcile inside `serve`: every `interval`, by one instance at a time (a
/// PostgreSQL advisory lock held for the run).
struct ReconcileService: Service {
    let reconciler: Reconciler
    let database: PlatformDatabase
    let interval: Duration
    let logger: Logger
    static let lockKey = 7_326_091_002

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled else { return }
                do {
                    try await runOnce()
                } catch {
                    logger.warning("scheduled reconcile failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    func runOnce() async throws {
        guard database.dialect == .postgres else {
            _ = try await reconciler.run(dryRun: false)
            return
        }
        let reconciler = self.reconciler
        try await database.transaction { sql in
            let locked = try await sql.raw("SELECT pg_try_advisory_xact_lock(\(unsafeRaw: String(Self.lockKey))) AS locked")
                .first()?.decode(column: "locked", as: Bool.self) ?? false
            guard locked else { return }
            _ = try await reconciler.run(dryRun: false)
        }
    }
}

/// How a new platform user's role follows from Authorizer: a mapping of Authorizer roles, and
/// SUPER_ADMIN only for the users listed explicitly (by email or Authorizer id).
public struct RoleMapping: Sendable {
    /// Authorizer role → platform role (never SUPER_ADMIN).
    public var byAuthorizerRole: [String: Role]
    /// Emails or Authorizer ids that are platform operators.
    public var superAdmins: Set<String>

    public init(byAuthorizerRole: [String: Role] = [:], superAdmins: Set<String> = []) {
        self.byAuthorizerRole = byAuthorizerRole.filter { $0.value != .superAdmin }
        self.superAdmins = Set(superAdmins.map { $0.lowercased() })
    }

    public func role(email: String, authorizerID: String, authorizerRoles: [String]) -> Role {
        if superAdmins.contains(email.lowercased()) || superAdmins.contains(authorizerID.lowercased()) { return .superAdmin }
        let mapped = authorizerRoles.compactMap { byAuthorizerRole[$0] }
        return mapped.contains(.admin) ? .admin : .user
    }
}

extension ReconcileService: CustomStringConvertible {
    /// What service lifecycle logs: the name only, never the client and its secrets.
    var description: String { "ReconcileService" }
}
