import Foundation
import SQLKit

/// Reads and writes platform users. Every error it throws is a ``PlatformDBError``.
public struct UserStore: Sendable {
    /// The database it reads and writes, for callers that write users inside their own transaction.
    public let database: PlatformDatabase

    /// A store over `database`.
    public init(_ database: PlatformDatabase) {
        self.database = database
    }

    /// Creates a user; a taken `authorizer_id` or `email` throws ``PlatformDBError/alreadyExists(table:field:)``.
    public func create(_ new: NewUser, now: Date = Date()) async throws -> UserRecord {
        try await database.withConnection { sql in
            let row = try await sql.insert(into: "users")
                .columns(
                    "id", "authorizer_id", "email", "first_name", "last_name", "role", "status", "client_id",
                    "created_at", "updated_at"
                )
                .values(
                    SQLBind(Identifier.make(now: now)), SQLBind(new.authorizerID), SQLBind(new.email),
                    SQLBind(new.firstName), SQLBind(new.lastName), SQLBind(new.role.rawValue),
                    SQLBind(new.status.rawValue), SQLBind(new.tenantID), SQLBind(now), SQLBind(now)
                )
                .returning(UserRecord.columns.map { SQLColumn($0) })
                .first()
            guard let row else { throw PlatformDBError.unavailable("insert returned no row") }
            return try UserRecord(row: row)
        }
    }

    /// What Authorizer says about a user, for ``upsertFromAuthorizer(_:now:)``.
    public struct AuthorizerProfile: Sendable {
        public var authorizerID: String
        public var email: String
        public var firstName: String?
        public var lastName: String?
        public var status: UserStatus
        /// The role a newly created row gets; an existing row keeps the role the platform gave it,
        /// except that SUPER_ADMIN (a configured operator, verified) reaches a row in no tenant.
        public var roleForNewUser: Role

        public init(
            authorizerID: String, email: String, firstName: String?, lastName: String?, status: UserStatus,
            roleForNewUser: Role = .user
        ) {
            self.authorizerID = authorizerID
            self.email = email
            self.firstName = Self.displayName(firstName)
            self.lastName = Self.displayName(lastName)
            self.status = status
            self.roleForNewUser = roleForNewUser
        }

        /// A name as the platform keeps it: Authorizer's, less its control characters (U+0000–U+001F
        /// and U+007F–U+009F; PostgreSQL's text cannot hold NUL). Authorizer accepts any string as
        /// a name and a name is only shown, so it is cleaned rather than refused.
        public static func displayName(_ name: String?) -> String? {
            guard let name, name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                return name
            }
            return String(
                String.UnicodeScalarView(name.unicodeScalars.filter { $0.properties.generalCategory != .control }))
        }
    }

    /// Creates the user or updates its profile fields, in one statement keyed by the unique
    /// `authorizer_id`, so concurrent callers (requests, webhooks) still yield exactly one row.
    /// The role is never overwritten, and a DELETED or SUSPENDED row keeps its status.
    @discardableResult
    public func upsertFromAuthorizer(_ profile: AuthorizerProfile, loginAt: Date? = nil, now: Date = Date())
        async throws
        -> UserRecord
    {
        try await database.withConnection { sql in
            try await upsert(profile, loginAt: loginAt, now: now, on: sql)
        }
    }

    /// ``upsertFromAuthorizer(_:loginAt:now:)`` on a connection the caller holds (inside a transaction).
    public func upsert(_ profile: AuthorizerProfile, loginAt: Date?, now: Date, on sql: any SQLDatabase) async throws
        -> UserRecord
    {
        guard let row = try await upsert([(profile, loginAt)], now: now, on: sql).first else {
            throw PlatformDBError.unavailable("upsert returned no row")
        }
        return row
    }

    /// Many users at once (a page of reconcile, a batch of webhooks): two statements for all of
    /// them. The profiles must have distinct Authorizer ids; should two of them collide on an
    /// email the statement fails, and the caller goes one at a time.
    public func upsert(
        _ profiles: [(profile: AuthorizerProfile, loginAt: Date?)], now: Date, on sql: any SQLDatabase
    ) async throws -> [UserRecord] {
        guard !profiles.isEmpty else { return [] }
        // An email is an identity, never cleaned: one holding a control character is refused, on
        // both databases alike (PostgreSQL alone would refuse a NUL).
        if profiles.contains(where: {
            $0.profile.email.unicodeScalars.contains { $0.properties.generalCategory == .control }
        }) {
            throw PlatformDBError.invalidValue("email holds a control character")
        }
        // Before the rows are written, two kinds of rows give up an email of the batch, in one
        // statement:
        // - a deleted user's row: the email may sign up again under a new Authorizer id, and the
        //   old row keeps its history under a tombstoned address;
        // - a row of the batch whose email another profile of the batch claims (two users who
        //   swapped emails at Authorizer, or a chain A→B→C→A): it holds a temporary address until
        //   the insert below gives it its own, within the caller's statement or transaction.
        // A live row outside the batch is left alone: whether its email is stale is Authorizer's to
        // say (see the gateway's EmailOwnership).
        let emails = profiles.map { SQLQueryString("\(bind: $0.profile.email)") }.joined(separator: ", ")
        let ids = profiles.map { SQLQueryString("\(bind: $0.profile.authorizerID)") }.joined(separator: ", ")
        let pairs = profiles.map { SQLQueryString("(\(bind: $0.profile.authorizerID), \(bind: $0.profile.email))") }
            .joined(separator: ", ")
        try await sql.raw(
            """
            UPDATE users SET
                email = CASE WHEN authorizer_id IN (\(ids)) THEN 'moving:' || id ELSE 'deleted:' || id || ':' || email END,
                updated_at = \(bind: now)
            WHERE email IN (\(emails)) AND (
                (status = 'DELETED' AND authorizer_id NOT IN (\(ids)))
                OR (authorizer_id IN (\(ids)) AND (authorizer_id, email) NOT IN (VALUES \(pairs))))
            """
        ).run()
        // Written as SQL text, not with the builder: this is the webhook worker's and
        // reconcile's statement, and the builder's identifier quoting cost more than the rest.
        let rows = profiles.map { profile, loginAt in
            SQLQueryString(
                """
                (\(bind: Identifier.make(now: now)), \(bind: profile.authorizerID), \(bind: profile.email), \(bind: profile.firstName), \
                \(bind: profile.lastName), \(bind: profile.roleForNewUser.rawValue), \(bind: profile.status.rawValue), \(bind: now), \
                \(bind: now), \(bind: loginAt))
                """)
        }
        return try await sql.raw(
            """
            INSERT INTO users (id, authorizer_id, email, first_name, last_name, role, status, created_at, updated_at, last_login_at)
            VALUES \(rows.joined(separator: ", "))
            ON CONFLICT (authorizer_id) DO UPDATE SET
                email = excluded.email, first_name = excluded.first_name, last_name = excluded.last_name,
                updated_at = excluded.updated_at, last_login_at = COALESCE(excluded.last_login_at, users.last_login_at),
                status = CASE WHEN users.status = 'PENDING_VERIFICATION' THEN excluded.status ELSE users.status END,
                role = CASE WHEN excluded.role = 'SUPER_ADMIN' AND users.client_id IS NULL AND users.status <> 'DELETED'
                    THEN 'SUPER_ADMIN' ELSE users.role END
            RETURNING \(unsafeRaw: UserRecord.columns.joined(separator: ", "))
            """
        ).all().map(UserRecord.init(row:))
    }

    /// The live rows (not DELETED) that hold an email of `claims` under another Authorizer id:
    /// each is a copy gone stale, or a claim that is (see the gateway's EmailOwnership).
    public func holders(of claims: [(authorizerID: String, email: String)], on sql: any SQLDatabase) async throws
        -> [UserRecord]
    {
        guard !claims.isEmpty else { return [] }
        let emails = claims.map { SQLQueryString("\(bind: $0.email)") }.joined(separator: ", ")
        let ids = claims.map { SQLQueryString("\(bind: $0.authorizerID)") }.joined(separator: ", ")
        return try await sql.raw(
            """
            SELECT \(unsafeRaw: UserRecord.columns.joined(separator: ", ")) FROM users
            WHERE email IN (\(emails)) AND authorizer_id NOT IN (\(ids)) AND status <> 'DELETED'
            """
        ).all().map(UserRecord.init(row:))
    }

    /// Whether a row other than `authorizerID`'s holds `email` (its own row may already hold it:
    /// another transaction moved it there first).
    public func isTaken(_ email: String, exceptAuthorizerID authorizerID: String, on sql: any SQLDatabase)
        async throws -> Bool
    {
        try await sql.select().column("id").from("users").where("email", .equal, SQLBind(email))
            .where("authorizer_id", .notEqual, SQLBind(authorizerID)).first() != nil
    }

    /// Gives the row of `authorizerID` the email `email` (Authorizer's word for it now), if it
    /// still holds `previous`; a row another transaction changed meanwhile is left as it is.
    public func setEmail(
        _ email: String, authorizerID: String, previous: String, now: Date, on sql: any SQLDatabase
    ) async throws {
        try await sql.update("users").set("email", to: SQLBind(email)).set("updated_at", to: SQLBind(now))
            .where("authorizer_id", .equal, SQLBind(authorizerID)).where("email", .equal, SQLBind(previous)).run()
    }

    /// Lets the row of `authorizerID` give up its email when Authorizer could not say what the
    /// user's email is now: it holds `released:<id>:<old email>` until its next sign-in, event or
    /// reconcile brings the new one. Only while it still holds `email`: a row another transaction
    /// moved meanwhile keeps its new address.
    public func releaseEmail(authorizerID: String, email: String, now: Date, on sql: any SQLDatabase)
        async throws
    {
        try await sql.raw(
            """
            UPDATE users SET email = 'released:' || id || ':' || email, updated_at = \(bind: now)
            WHERE authorizer_id = \(bind: authorizerID) AND email = \(bind: email)
            """
        ).run()
    }

    /// Marks the row of a user Authorizer no longer has as DELETED, its email tombstoned so it can
    /// be taken again (what a `user.deleted` event and reconcile do).
    public func markGone(authorizerID: String, now: Date, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            UPDATE users SET status = 'DELETED', email = 'deleted:' || id || ':' || email, updated_at = \(bind: now)
            WHERE authorizer_id = \(bind: authorizerID)
            """
        ).run()
    }

    /// Makes the user with platform id `id`, who belongs to no tenant, a platform operator (the
    /// console's restore); nil when no such row is in no tenant.
    public func makeOperator(id: String, now: Date, on sql: any SQLDatabase) async throws -> UserRecord? {
        try await sql.update("users").set("role", to: SQLBind(Role.superAdmin.rawValue)).set(
            "updated_at", to: SQLBind(now)
        )
        .where("id", .equal, SQLBind(id)).where("client_id", .is, SQLLiteral.null)
        .returning(UserRecord.columns.map { SQLColumn($0) }).first().map(UserRecord.init(row:))
    }

    /// Authorizer revoked the user: an ACTIVE or pending row becomes SUSPENDED, a suspension that
    /// is then Authorizer's own (``AddAuthorizerSuspension``). Returns whether it did; a row the
    /// platform suspended, or a deleted one, is left as it is.
    public func suspendForAuthorizer(authorizerID: String, now: Date, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw(
            """
            UPDATE users SET status = 'SUSPENDED', updated_at = \(bind: now)
            WHERE authorizer_id = \(bind: authorizerID) AND status IN ('ACTIVE', 'PENDING_VERIFICATION') RETURNING id
            """
        ).first() != nil
    }

    /// Authorizer enabled the user again: a SUSPENDED row becomes ACTIVE, when its suspension was
    /// Authorizer's (the caller knows, from the sync state).
    public func reactivateForAuthorizer(authorizerID: String, now: Date, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            UPDATE users SET status = 'ACTIVE', updated_at = \(bind: now)
            WHERE authorizer_id = \(bind: authorizerID) AND status = 'SUSPENDED'
            """
        ).run()
    }

    /// The platform decided the user's status itself (suspended or reactivated): from now on the
    /// status is the platform's, and Authorizer's `_enable_access` does not lift it.
    public func takeOverSuspension(userID: String, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            UPDATE user_sync_state SET suspended_by_authorizer = \(bind: false)
            WHERE authorizer_id IN (SELECT authorizer_id FROM users WHERE id = \(bind: userID))
            """
        ).run()
    }

    /// Records whether the user's suspension is Authorizer's (reconcile's counterpart of the
    /// webhook events').
    public func setSuspendedByAuthorizer(_ value: Bool, authorizerID: String, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "user_sync_state")
            .columns("authorizer_id", "authorizer_updated_at", "deleted", "suspended_by_authorizer")
            .values(SQLBind(authorizerID), SQLBind(Int64(0)), SQLBind(false), SQLBind(value))
            .onConflict(with: ["authorizer_id"]) { $0.set(excludedValueOf: "suspended_by_authorizer") }
            .run()
    }

    /// Which of `authorizerIDs` are suspended by Authorizer rather than by the platform.
    public func suspendedByAuthorizer(_ authorizerIDs: [String]) async throws -> Set<String> {
        guard !authorizerIDs.isEmpty else { return [] }
        return try await database.withConnection { sql in
            Set(
                try await sql.select().column("authorizer_id").from("user_sync_state")
                    .where(SQLColumn("authorizer_id"), .in, SQLBind.group(authorizerIDs))
                    .where("suspended_by_authorizer", .equal, SQLBind(true)).all()
                    .map { try $0.decode(column: "authorizer_id", as: String.self) })
        }
    }

    /// Records a sign-in at `time` for the user linked to `authorizerID`, unless a later one is known.
    public func recordLogin(authorizerID: String, at time: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("users").set("last_login_at", to: SQLBind(time))
            .where("authorizer_id", .equal, SQLBind(authorizerID))
            .where {
                $0.where("last_login_at", .is, SQLLiteral.null).orWhere("last_login_at", .lessThan, SQLBind(time))
            }
            .run()
    }

    /// Sets the status of the user linked to `authorizerID`; nil when there is no such row.
    @discardableResult
    public func setStatus(_ status: UserStatus, authorizerID: String, now: Date, on sql: any SQLDatabase) async throws
        -> UserRecord?
    {
        try await sql.update("users")
            .set("status", to: SQLBind(status.rawValue)).set("updated_at", to: SQLBind(now))
            .where("authorizer_id", .equal, SQLBind(authorizerID))
            .returning(UserRecord.columns.map { SQLColumn($0) })
            .first().map(UserRecord.init(row:))
    }

    /// Sets the profile names of the user linked to `authorizerID`.
    public func updateNames(authorizerID: String, firstName: String?, lastName: String?, now: Date = Date())
        async throws
        -> UserRecord?
    {
        try await database.withConnection { sql in
            try await sql.update("users")
                .set("first_name", to: SQLBind(firstName)).set("last_name", to: SQLBind(lastName))
                .set("updated_at", to: SQLBind(now))
                .where("authorizer_id", .equal, SQLBind(authorizerID))
                .returning(UserRecord.columns.map { SQLColumn($0) })
                .first().map(UserRecord.init(row:))
        }
    }

    /// Deletes the row linked to `authorizerID` (tests and tooling; users are soft-deleted in normal flow).
    public func delete(authorizerID: String) async throws {
        try await database.withConnection { sql in
            try await sql.delete(from: "users").where("authorizer_id", .equal, SQLBind(authorizerID)).run()
        }
    }

    /// Users across all tenants, newest first (platform operators only).
    public func all(limit: Int, after cursor: PageCursor?, tenantID: String? = nil) async throws -> [UserRecord] {
        try await database.withConnection { sql in
            var select = sql.select().columns(UserRecord.columns.map { SQLColumn($0) }).from("users")
            if let tenantID { select = select.where("client_id", .equal, SQLBind(tenantID)) }
            return try await select.page(after: cursor, limit: limit).all()
                .map(UserRecord.init(row:))
        }
    }

    /// The user linked to `authorizerID`, through the unique index used on every request.
    public func find(authorizerID: String) async throws -> UserRecord? {
        try await first(where: "authorizer_id", equals: authorizerID)
    }

    /// The users linked to these Authorizer ids, by id, in one query (reconcile reads a page at a time).
    public func find(authorizerIDs: [String]) async throws -> [String: UserRecord] {
        guard !authorizerIDs.isEmpty else { return [:] }
        return try await database.withConnection { sql in
            let rows = try await sql.select()
                .columns(UserRecord.columns.map { SQLColumn($0) })
                .from("users")
                .where(SQLColumn("authorizer_id"), .in, SQLBind.group(authorizerIDs))
                .all()
            let users = try rows.map(UserRecord.init(row:))
            return Dictionary(users.map { ($0.authorizerID, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// The user with this email, if one.
    public func find(email: String) async throws -> UserRecord? {
        try await first(where: "email", equals: email)
    }

    /// The user with the platform id `id`.
    public func find(id: String) async throws -> UserRecord? {
        try await first(where: "id", equals: id)
    }

    private func first(where column: String, equals value: String) async throws -> UserRecord? {
        try await database.withConnection { sql in
            try await sql.select()
                .columns(UserRecord.columns.map { SQLColumn($0) })
                .from("users")
                .where(SQLColumn(column), .equal, SQLBind(value))
                .first()
                .map(UserRecord.init(row:))
        }
    }
}
