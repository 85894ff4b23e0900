import Foundation
import PlatformDB
import SQLKit

/// The local Authorizer's users and sessions, in its own database.
struct AuthorizerStore: Sendable {
    let database: PlatformDatabase

    static let userColumns = [
        "id", "email", "password", "signup_methods", "given_name", "family_name", "middle_name", "nickname",
        "gender", "birthdate", "phone_number", "picture", "roles", "email_verified_at", "phone_number_verified_at",
        "revoked_timestamp", "app_data", "created_at", "updated_at",
    ]

    private static func binds(_ user: AuthorizerUser) -> [any Encodable & Sendable] {
        [
            user.id, user.email, user.passwordHash, user.signupMethods, user.givenName, user.familyName,
            user.middleName, user.nickname, user.gender, user.birthdate, user.phoneNumber, user.picture,
            user.roles.joined(separator: ","), user.emailVerifiedAt, user.phoneNumberVerifiedAt,
            user.revokedTimestamp, user.appData, user.createdAt, user.updatedAt,
        ]
    }

    /// Inserts a user; a taken email throws ``PlatformDBError/alreadyExists(table:field:)``.
    func insert(_ user: AuthorizerUser) async throws {
        try await database.withConnection { sql in
            try await sql.insert(into: "authorizer_users")
                .columns(Self.userColumns)
                .values(Self.binds(user).map { SQLBind($0) })
                .run()
        }
    }

    /// Writes every field of `user` back.
    func update(_ user: AuthorizerUser) async throws {
        try await database.withConnection { sql in
            var query = sql.update("authorizer_users")
            for (column, value) in zip(Self.userColumns, Self.binds(user)) where column != "id" {
                query = query.set(SQLColumn(column), to: SQLBind(value))
            }
            try await query.where("id", .equal, SQLBind(user.id)).run()
        }
    }

    /// Saves a profile change; a taken email is Authorizer's ALREADY_EXISTS.
    func saveProfile(_ user: AuthorizerUser) async throws {
        do {
            try await update(user)
        } catch PlatformDBError.alreadyExists {
            throw AuthorizerError(message: "user with this email already exists", code: .alreadyExists)
        }
    }

    func user(id: String) async throws -> AuthorizerUser? {
        try await firstUser(where: "id", equals: id)
    }

    /// The user with exactly this email: 2.4 compares emails as stored, case and all
    /// (`storage/db/sql/user.go` GetUserByEmail); each caller normalises as its 2.4 service does.
    func user(email: String) async throws -> AuthorizerUser? {
        try await firstUser(where: "email", equals: email)
    }

    private func firstUser(where column: String, equals value: String) async throws -> AuthorizerUser? {
        try await database.withConnection { sql in
            try await sql.select().columns(Self.userColumns.map { SQLColumn($0) }).from("authorizer_users")
                .where(SQLColumn(column), .equal, SQLBind(value))
                .first().map(AuthorizerUser.init(row:))
        }
    }

    /// One page of users, newest first, optionally filtered by a substring of the id, email or
    /// names (`storage/db/sql/user.go` ListUsers).
    func users(limit: Int, offset: Int, query: String?) async throws -> (users: [AuthorizerUser], total: Int) {
        try await database.withConnection { sql in
            func filtered(_ builder: SQLSelectBuilder) -> SQLSelectBuilder {
                guard let query = query?.trimmingCharacters(in: .whitespacesAndNewlines), !query.isEmpty else {
                    return builder
                }
                let pattern = "%" + query.lowercased() + "%"
                return builder.where { group in
                    group.where(SQLFunction("LOWER", args: SQLColumn("id")), .like, SQLBind(pattern))
                        .orWhere(SQLFunction("LOWER", args: SQLColumn("email")), .like, SQLBind(pattern))
                        .orWhere(SQLFunction("LOWER", args: SQLColumn("given_name")), .like, SQLBind(pattern))
                        .orWhere(SQLFunction("LOWER", args: SQLColumn("family_name")), .like, SQLBind(pattern))
                        .orWhere(SQLFunction("LOWER", args: SQLColumn("nickname")), .like, SQLBind(pattern))
                }
            }
            let total =
                try await filtered(
                    sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("authorizer_users")
                ).first()?.decode(column: "n", as: Int.self) ?? 0
            let rows = try await filtered(
                sql.select().columns(Self.userColumns.map { SQLColumn($0) }).from("authorizer_users")
            )
            .orderBy("created_at", .descending)  // no tie-break, as storage/db/sql/user.go at 2.4.0
            .limit(limit).offset(offset)
            .all()
            return (try rows.map(AuthorizerUser.init(row:)), total)
        }
    }

    func deleteUser(id: String) async throws {
        try await database.withConnection { sql in
            try await sql.delete(from: "authorizer_users").where("id", .equal, SQLBind(id)).run()
        }
    }

    // MARK: Sessions

    /// A login session; tokens carry its key as `nonce`.
    struct Session: Sendable {
        var nonce: String
        var userID: String
        var roles: [String]
        var scope: [String]
        var loginMethod: String
        var expiresAt: Int64
        /// SHA-256 of the browser session cookie, when one was set.
        var cookieHash: String?
        /// The id of the one refresh token that may still be exchanged (rotation).
        var refreshID: String?
    }

    func createSession(_ session: Session, now: Int64) async throws {
        try await database.withConnection { sql in
            try await sql.insert(into: "authorizer_sessions")
                .columns(
                    "nonce", "user_id", "roles", "scope", "login_method", "cookie_hash", "refresh_id", "created_at",
                    "expires_at"
                )
                .values(
                    SQLBind(session.nonce), SQLBind(session.userID), SQLBind(session.roles.joined(separator: ",")),
                    SQLBind(session.scope.joined(separator: " ")), SQLBind(session.loginMethod),
                    SQLBind(session.cookieHash), SQLBind(session.refreshID), SQLBind(now), SQLBind(session.expiresAt)
                )
                .run()
        }
    }

    func session(nonce: String) async throws -> Session? {
        try await session(where: "nonce", equals: nonce)
    }

    func session(cookieHash: String) async throws -> Session? {
        try await session(where: "cookie_hash", equals: cookieHash)
    }

    private func session(where column: String, equals value: String) async throws -> Session? {
        try await database.withConnection { sql in
            guard
                let row = try await sql.select().column("*").from("authorizer_sessions")
                    .where(SQLColumn(column), .equal, SQLBind(value)).first()
            else { return nil }
            return Session(
                nonce: try row.decode(column: "nonce", as: String.self),
                userID: try row.decode(column: "user_id", as: String.self),
                roles: try row.decode(column: "roles", as: String.self).split(separator: ",").map(String.init),
                scope: try row.decode(column: "scope", as: String.self).split(separator: " ").map(String.init),
                loginMethod: try row.decode(column: "login_method", as: String.self),
                expiresAt: try row.decode(column: "expires_at", as: Int64.self),
                cookieHash: try row.decode(column: "cookie_hash", as: String?.self),
                refreshID: try row.decode(column: "refresh_id", as: String?.self)
            )
        }
    }

    func deleteSession(nonce: String) async throws {
        try await database.withConnection { sql in
            try await sql.delete(from: "authorizer_sessions").where("nonce", .equal, SQLBind(nonce)).run()
        }
    }

    /// Swaps the refresh id only if it is still `expected`, so a refresh token is exchanged once.
    func rotateRefresh(nonce: String, from expected: String, to next: String, expiresAt: Int64) async throws -> Bool {
        try await database.withConnection { sql in
            let rows = try await sql.update("authorizer_sessions")
                .set("refresh_id", to: SQLBind(next)).set("expires_at", to: SQLBind(expiresAt))
                .where("nonce", .equal, SQLBind(nonce)).where("refresh_id", .equal, SQLBind(expected))
                .returning("nonce").all()
            return rows.count == 1
        }
    }

    func deleteSessions(userID: String) async throws {
        try await database.withConnection { sql in
            try await sql.delete(from: "authorizer_sessions").where("user_id", .equal, SQLBind(userID)).run()
        }
    }

    // MARK: Failed logins

    func recordFailedLogin(userID: String, at now: Int64) async throws {
        try await database.withConnection { sql in
            try await sql.insert(into: "authorizer_login_failures").columns("user_id", "at")
                .values(SQLBind(userID), SQLBind(now)).run()
        }
    }

    func failedLogins(userID: String, since: Int64) async throws -> Int {
        try await database.withConnection { sql in
            try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("authorizer_login_failures")
                .where("user_id", .equal, SQLBind(userID)).where("at", .greaterThanOrEqual, SQLBind(since))
                .first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    func clearFailedLogins(userID: String) async throws {
        try await database.withConnection { sql in
            try await sql.delete(from: "authorizer_login_failures").where("user_id", .equal, SQLBind(userID)).run()
        }
    }
}
