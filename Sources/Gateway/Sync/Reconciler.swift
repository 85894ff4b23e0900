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
    let ownership: EmailOwnership
    let users: UserStore

    public init(
        client: AuthorizerClient, database: PlatformDatabase, roles: RoleMapping = RoleMapping(), pageSize: Int = 500,
        logger: Logger
    ) {
        self.client = client
        self.database = database
        self.roles = roles
        self.pageSize = pageSize
        self.logger = logger
        users = UserStore(database)
        self.ownership = EmailOwnership(
            client: client, users: users, loader: nil, logger: logger, claimsAreFresh: false)
    }

    /// What a run found (and, unless dry, changed).
    public struct Report: Codable, Sendable, Equatable, CustomStringConvertible {
        public var created = 0
        public var updated = 0
        public var deleted = 0
        public var unchanged = 0
        public var dryRun = false
        /// The users whose drift could not be applied, with why; the rest of the run went on.
        public var skipped: [Skipped] = []

        /// A user left as it was.
        public struct Skipped: Codable, Sendable, Equatable {
            public var authorizerId: String
            public var reason: String
        }

        public var drift: Int { created + updated + deleted }
        public var description: String {
            let done =
                "\(dryRun ? "drift (dry run)" : "reconciled"): created \(created), updated \(updated), deleted \(deleted), unchanged \(unchanged)"
            guard !skipped.isEmpty else { return done }
            return done + ", skipped \(skipped.count) ("
                + skipped.map { "\($0.authorizerId): \($0.reason)" }.joined(separator: "; ") + ")"
        }
    }

    /// Runs once, recorded in the audit log as `actor`'s with its counts (`reconcile`,
    /// `reconcile.dry_run`, or `reconcile.failed` with the error). `progress` is called with
    /// (users seen, total) after each page.
    public func run(
        dryRun: Bool, actor: String, progress: @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> Report {
        let audit = AuditLog(database)
        do {
            let report = try await run(dryRun: dryRun, progress: progress)
            try await audit.record(
                actor: actor, action: dryRun ? "reconcile.dry_run" : "reconcile", detail: report.description)
            return report
        } catch {
            try? await audit.record(
                actor: actor, action: "reconcile.failed", detail: String(PlatformDBError.describe(error).prefix(500)))
            throw error
        }
    }

    /// One run, unaudited (tests and the audited ``run(dryRun:actor:progress:)``).
    public func run(dryRun: Bool, progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Report {
        var report = Report(dryRun: dryRun)
        var seen = Set<String>()
        var page = 1
        let client = self.client
        let pageSize = self.pageSize
        // The next page is fetched while this one is written: Authorizer and the database work
        // at the same time.
        var next: Task<(users: [AuthorizerUserInfo], total: Int), any Error>? = Task {
            try await client.users(page: 1, limit: pageSize)
        }
        defer { next?.cancel() }
        var total = 0
        while let current = next {
            let (batch, reportedTotal) = try await current.value
            total = reportedTotal
            // Distinct users: a signup during the listing shifts a user into the next page too.
            seen.formUnion(batch.map(\.id))
            page += 1
            next =
                !batch.isEmpty && seen.count < total
                ? Task { [page] in try await client.users(page: page, limit: pageSize) } : nil
            // The page's platform rows in one query, and its changes in one transaction.
            let existing = try await users.find(authorizerIDs: batch.map(\.id))
            let authorizerSuspended = try await users.suspendedByAuthorizer(batch.map(\.id))
            var changes: [Change] = []
            for info in batch {
                if let change = change(
                    for: info, existing: existing[info.id],
                    suspendedByAuthorizer: authorizerSuspended.contains(info.id), report: &report)
                {
                    changes.append(change)
                }
            }
            if !dryRun {
                for skip in try await apply(changes) {
                    report.skipped.append(skip)
                    if changes.first(where: { $0.profile.authorizerID == skip.authorizerId })?.isNew == true {
                        report.created -= 1
                    } else {
                        report.updated -= 1
                    }
                }
            }
            progress(seen.count, total)
        }
        // `_users` is ordered by created_at alone (storage/db/sql/user.go): users created in the
        // same second can move between pages, so a listing may miss some. No user is deleted for
        // being unseen: each unseen platform user is asked for by id, and only Authorizer's
        // NOT_FOUND deletes; one found is reconciled like a listed one.
        if seen.count < total {
            logger.warning(
                "Authorizer's listing missed users (pages shifted)",
                metadata: ["seen": "\(seen.count)", "total": "\(total)"])
        }
        let platformIDs = try await database.withConnection { sql in
            try await sql.raw("SELECT authorizer_id FROM users WHERE status <> 'DELETED'").all()
                .map { try $0.decode(column: "authorizer_id", as: String.self) }
        }
        var gone: [String] = []
        for id in platformIDs where !seen.contains(id) {
            let info: AuthorizerUserInfo
            do {
                info = try await client.user(id: id)
            } catch AuthorizerClientError.notFound {
                gone.append(id)
                continue
            }
            seen.insert(id)
            let existing = try await users.find(authorizerIDs: [id])
            let suspended = try await users.suspendedByAuthorizer([id])
            if let change = change(
                for: info, existing: existing[id], suspendedByAuthorizer: suspended.contains(id), report: &report),
                !dryRun
            {
                for skip in try await apply([change]) {
                    report.skipped.append(skip)
                    report.updated -= 1
                }
            }
        }
        report.deleted = gone.count
        if !dryRun {
            for chunk in stride(from: 0, to: gone.count, by: pageSize).map({ gone[$0..<min($0 + pageSize, gone.count)] }
            ) {
                try await database.transaction { sql in
                    for id in chunk { try await users.setStatus(.deleted, authorizerID: id, now: Date(), on: sql) }
                }
            }
        }
        logger.info("\(report)")
        if !dryRun {
            for (kind, count) in [
                ("created", report.created), ("updated", report.updated), ("deleted", report.deleted),
                ("skipped", report.skipped.count),
            ] {
                Counter(label: "reconcile_drift_total", dimensions: [("kind", kind)]).increment(by: count)
            }
        }
        return report
    }

    /// A write a user needs: its profile, and the status to set after it. A new user's status is
    /// the profile's (set again should a concurrent write have made the row first).
    private struct Change: Sendable {
        var profile: UserStore.AuthorizerProfile
        var status: UserStatus?
        var isNew = false
        /// Whose the suspension is after this change, when it moves: true when Authorizer's
        /// revocation suspends the user, false when its lifting reactivates them.
        var suspendedByAuthorizer: Bool?
    }

    /// What `info` needs in the platform, counted in `report`; nil when it is in step.
    private func change(
        for info: AuthorizerUserInfo, existing: UserRecord?, suspendedByAuthorizer: Bool, report: inout Report
    ) -> Change? {
        guard let email = info.email else { return nil }
        let wanted: UserStatus =
            info.revokedTimestamp != nil ? .suspended : (info.emailVerified ? .active : .pendingVerification)
        guard let existing else {
            report.created += 1
            return Change(
                profile: .init(
                    authorizerID: info.id, email: email, firstName: info.givenName, lastName: info.familyName,
                    status: wanted,
                    roleForNewUser: roles.role(
                        email: email, emailVerified: info.emailVerified, authorizerID: info.id,
                        authorizerRoles: info.roles)),
                status: nil, isNew: true)
        }
        // Status moves only on Authorizer's facts: a revocation and its lifting, a verification,
        // or a user the platform marked deleted who exists after all. A suspension made in the
        // platform stays, and Authorizer's own is lifted only when it is Authorizer's.
        var target: UserStatus?
        var authorizerSuspension: Bool?
        if existing.status == .deleted {
            target = wanted
        } else if info.revokedTimestamp != nil, existing.status != .suspended {
            target = .suspended
            authorizerSuspension = true
        } else if info.revokedTimestamp == nil, existing.status == .suspended, suspendedByAuthorizer {
            target = info.emailVerified ? .active : .pendingVerification
            authorizerSuspension = false
        } else if existing.status == .pendingVerification, wanted == .active {
            target = .active
        }
        let drifted =
            existing.email != email
            || existing.firstName != UserStore.AuthorizerProfile.displayName(info.givenName)
            || existing.lastName != UserStore.AuthorizerProfile.displayName(info.familyName)
            || target != nil
        guard drifted else {
            report.unchanged += 1
            return nil
        }
        report.updated += 1
        return Change(
            profile: .init(
                authorizerID: info.id, email: email, firstName: info.givenName, lastName: info.familyName,
                status: wanted),
            status: target, suspendedByAuthorizer: authorizerSuspension)
    }

    /// Writes one page's changes in one transaction: the profiles in one multi-row upsert (emails
    /// swapped or passed round within the page included), then the statuses that need setting.
    /// Should the upsert fail, the profiles go one at a time, each freeing an email that a stale
    /// row outside the page holds (``EmailOwnership``); one that still cannot be written is
    /// skipped and returned, and the rest of the page is written all the same.
    private func apply(_ changes: [Change]) async throws -> [Report.Skipped] {
        guard !changes.isEmpty else { return [] }
        let ownership = self.ownership
        return try await database.transaction { sql in
            let now = Date()
            var rows: [UserRecord] = []
            var skipped: [Report.Skipped] = []
            do {
                rows = try await EmailOwnership.savepoint(on: sql) {
                    try await users.upsert(changes.map { ($0.profile, nil) }, now: now, on: sql)
                }
            } catch {
                for change in changes {
                    let profile = change.profile
                    do {
                        rows.append(
                            try await ownership.writing([(profile.authorizerID, profile.email)], on: sql) {
                                try await users.upsert(profile, loginAt: nil, now: now, on: sql)
                            })
                    } catch  where !PlatformDBError.from(error).isTransient {
                        skipped.append(
                            .init(authorizerId: profile.authorizerID, reason: PlatformDBError.from(error).description))
                    }
                }
            }
            let statuses = Dictionary(
                rows.map { ($0.authorizerID, $0.status) }, uniquingKeysWith: { first, _ in first })
            let skippedIDs = Set(skipped.map(\.authorizerId))
            for change in changes where !skippedIDs.contains(change.profile.authorizerID) {
                let id = change.profile.authorizerID
                let status =
                    change.isNew && statuses[id] != change.profile.status ? change.profile.status : change.status
                if let status { try await users.setStatus(status, authorizerID: id, now: now, on: sql) }
                let revoked = change.isNew && change.profile.status == .suspended ? true : change.suspendedByAuthorizer
                if let revoked { try await users.setSuspendedByAuthorizer(revoked, authorizerID: id, on: sql) }
            }
            return skipped
        }
    }
}
