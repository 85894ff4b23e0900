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
