import AuthorizerClient
import Foundation
import Logging
import PlatformDB
import SQLKit

/// Authorizer owns email uniqueness; the platform's `users.email` is a copy, keyed by
/// `authorizer_id`. Authorizer sends no event when a user changes their email, so a row can keep an
/// address its user gave up, and the next user to take that address at Authorizer collides with it
/// here.
///
/// When a profile from Authorizer claims an email another live row holds, the holder is asked
/// about at Authorizer (`_user`, with the admin secret):
/// - it has another email now: the row takes it (or, if that one is held too, is released);
/// - Authorizer has no such user: the row is marked DELETED and its email tombstoned;
/// - it still has this email: the claim is the stale one, and nothing is freed;
/// - Authorizer cannot say (no admin secret, unreachable): for a claim Authorizer has just made (a
///   sign-in, a signup), the row is released, holding `released:<id>:<email>` until its user's next
///   sign-in, event or reconcile; for a claim that may be stale (a webhook, which can arrive late
///   or be replayed; reconcile), nothing is freed and the write fails as transient, to be tried
///   again once Authorizer can say.
struct EmailOwnership: Sendable {
    /// A client with the admin secret; nil when none is configured.
    let client: AuthorizerClient?
    /// The rows whose emails are freed.
    let users: UserStore
    var loader: UserContextLoader?
    let logger: Logger
    /// Whether a claim is fresh from Authorizer, so that a holder Authorizer cannot vouch for may be
    /// released (see above).
    var claimsAreFresh = true

    /// One Authorizer user's claim to an email.
    typealias Claim = (authorizerID: String, email: String)

    /// What Authorizer says of a row that holds a claimed email.
    enum Verdict: Equatable {
        case movedTo(String)
        case gone
        case stillOwns
        case unknown

        /// The verdict's kind, for a log line: never the address itself.
        var kind: String {
            switch self {
            case .movedTo: "moved"
            case .gone: "gone"
            case .stillOwns: "still_owns"
            case .unknown: "unknown"
            }
        }
    }

    /// Runs `write` in a savepoint on `sql` (the caller's transaction). When it fails because a
    /// row holds one of the emails of `claims`, frees those emails and runs it once more. Any
    /// failure leaves the transaction usable (the savepoint is rolled back) and is thrown.
    func writing<T>(_ claims: [Claim], on sql: any SQLDatabase, _ write: () async throws -> T) async throws -> T {
        do {
            return try await Self.savepoint(on: sql, write)
        } catch  where Self.isEmailTaken(error) && !claims.isEmpty {
            // Freeing writes too: it runs in a savepoint of its own with the second try, so that a
            // failure of either leaves the caller's transaction usable.
            return try await Self.savepoint(on: sql) {
                guard try await free(claims, on: sql) else { throw error }
                return try await write()
            }
        }
    }

    /// Frees, on `sql`, every email of `claims` that another live row holds and Authorizer says is
    /// not that row's any more. Returns whether any row was changed.
    @discardableResult
    func free(_ claims: [Claim], on sql: any SQLDatabase, now: Date = Date()) async throws -> Bool {
        let holders = try await users.holders(of: claims, on: sql)
        var changed = false
        for holder in holders {
            let verdict = await verdict(on: holder)
            switch verdict {
            case .stillOwns:
                logger.warning(
                    "an email claimed from Authorizer is still another user's there; the claim is stale",
                    metadata: ["holder": "\(holder.authorizerID)"])
                continue
            case .gone:
                try await users.markGone(authorizerID: holder.authorizerID, now: now, on: sql)
            case .movedTo(let email) where !claims.contains(where: { $0.email == email }):
                if try await users.isTaken(email, exceptAuthorizerID: holder.authorizerID, on: sql) {
                    try await users.releaseEmail(
                        authorizerID: holder.authorizerID, email: holder.email, now: now, on: sql)
                } else {
                    try await users.setEmail(
                        email, authorizerID: holder.authorizerID, previous: holder.email, now: now, on: sql)
                }
            case .unknown where !claimsAreFresh:
                throw PlatformDBError.unavailable(
                    "Authorizer cannot say whose an email held by another user is now; trying again later")
            case .movedTo, .unknown:
                try await users.releaseEmail(
                    authorizerID: holder.authorizerID, email: holder.email, now: now, on: sql)
            }
            logger.info(
                "freed an email another user now holds at Authorizer",
                metadata: [
                    "holder": "\(holder.authorizerID)", "verdict": "\(verdict.kind)",
                ])
            loader?.invalidate(authorizerID: holder.authorizerID)
            changed = true
        }
        return changed
    }

    /// Authorizer's word on `holder`'s email now.
    private func verdict(on holder: UserRecord) async -> Verdict {
        guard let client else { return .unknown }
        do {
            let info = try await client.user(id: holder.authorizerID)
            guard let email = info.email else { return .unknown }
            return email == holder.email ? .stillOwns : .movedTo(email)
        } catch AuthorizerClientError.notFound {
            return .gone
        } catch {
            logger.warning("cannot ask Authorizer about an email's holder", metadata: ["error": "\(error)"])
            return .unknown
        }
    }

    /// Whether `error` is the unique email of `users` refusing a row.
    static func isEmailTaken(_ error: any Error) -> Bool {
        PlatformDBError.from(error) == .alreadyExists(table: "users", field: "email")
    }

    /// `body` in a savepoint: released when it returns, rolled back (leaving the transaction
    /// usable) when it throws.
    static func savepoint<T>(on sql: any SQLDatabase, _ body: () async throws -> T) async throws -> T {
        try await sql.raw("SAVEPOINT email_claim").run()
        do {
            let result = try await body()
            try await sql.raw("RELEASE SAVEPOINT email_claim").run()
            return result
        } catch {
            try await sql.raw("ROLLBACK TO SAVEPOINT email_claim").run()
            try await sql.raw("RELEASE SAVEPOINT email_claim").run()
            throw error
        }
    }
}
