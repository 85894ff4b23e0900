import ArgumentParser
import Foundation
import PlatformDB

/// `platform users list|show|set-role|suspend`: platform users, straight from the database, for
/// an operator without a token. Changes inside a tenant keep its rules (the last active ADMIN
/// stays) and are written to its audit log as `cli:<operator>`.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "List, inspect and change platform users (directly in the database).",
        discussion: """
            Examples:
              platform users list --database-url postgres://platform@db/platform
              platform users list --client c0mx1di5a812gwh3qt1rbji3ui
              platform users show ada@example.com
              platform users set-role ada@example.com ADMIN --reason "new team lead"
              platform users suspend ada@example.com --reason "left the company"
              platform users suspend ada@example.com --reactivate
            A user is named by platform id, email or Authorizer id.
            """,
        subcommands: [List.self, Show.self, SetRole.self, Suspend.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users, newest first.")
        @OptionGroup var options: CommonOptions
        @Option(help: "Only the users of this tenant (client id).")
        var client: String?
        @Option(help: "At most this many (1–10000).")
        var limit = 100

        func run() async throws {
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be 1–10000") }
            let (client, limit) = (self.client, self.limit)
            let logger = try options.makeLogger(label: "platform.users")
            // Operator reads are not tenant actions: no scope, no audit entry; one filtered query.
            let users = try await options.withCurrentDatabase(logger: logger) { db in
                try await UserStore(db).all(limit: limit, after: nil, tenantID: client)
            }
            for user in users { print(Self.line(user)) }
            if users.isEmpty { print("no users") }
        }

        static func line(_ user: UserRecord) -> String {
            [user.id, user.email, user.role.rawValue, user.status.rawValue, user.tenantID ?? "-"].joined(
                separator: "  ")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one user.")
        @OptionGroup var options: CommonOptions
        @Argument(help: "Platform id, email or Authorizer id.")
        var user: String

        func run() async throws {
            let logger = try options.makeLogger(label: "platform.users")
            let name = user
            let found = try await options.withCurrentDatabase(logger: logger) { db in
                try await UsersCommand.find(name, in: db)
            }
            print(
                """
                id             \(found.id)
                email          \(found.email)
                authorizer id  \(found.authorizerID)
                name           \([found.firstName, found.lastName].compactMap { $0 }.joined(separator: " "))
                role           \(found.role.rawValue)
                status         \(found.status.rawValue)
                tenant         \(found.tenantID ?? "none")
                created        \(found.createdAt.formatted(.iso8601))
                last login     \(found.lastLoginAt.map { $0.formatted(.iso8601) } ?? "never")
                """)
        }
    }

    struct SetRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-role",
            abstract:
                "Make a tenant's user USER or ADMIN (the tenant keeps one active ADMIN), or make a user a platform operator (SUPER_ADMIN, in no tenant)."
        )
        @OptionGroup var options: CommonOptions
        @Argument(help: "Platform id, email or Authorizer id.")
        var user: String
        @Argument(
            help: "USER or ADMIN; or SUPER_ADMIN, which takes the user out of their tenant (operators belong to none).")
        var role: String
        @Option(help: "Why, for the tenant's audit log.")
        var reason = "platform users set-role"

        func run() async throws {
            guard let role = Role(rawValue: role.uppercased()) else {
                throw ValidationError("role must be USER, ADMIN or SUPER_ADMIN")
            }
            try await UsersCommand.change(user, role: role, status: nil, reason: reason, options: options)
        }
    }

    struct Suspend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Suspend a user (refused on every request from now on), or reactivate one with --reactivate.")
        @OptionGroup var options: CommonOptions
        @Argument(help: "Platform id, email or Authorizer id.")
        var user: String
        @Flag(help: "Make the user ACTIVE again.")
        var reactivate = false
        @Option(help: "Why, for the tenant's audit log.")
        var reason = "platform users suspend"

        func run() async throws {
            try await UsersCommand.change(
                user, role: nil, status: reactivate ? .active : .suspended, reason: reason, options: options)
        }
    }

    static func find(_ name: String, in db: PlatformDatabase) async throws -> UserRecord {
        let store = UserStore(db)
        if Identifier.isWellFormed(name), let user = try await store.find(id: name) { return user }
        if let user = try await store.find(email: name) { return user }
        if let user = try await store.find(authorizerID: name) { return user }
        printError("no user '\(name)' (looked up by id, email and Authorizer id)")
        throw ExitCode.failure
    }

    /// SUPER_ADMIN: the user leaves their tenant, if any (keeping the tenant's last active ADMIN).
    static func makeOperator(_ user: UserRecord, operatorName: String, reason: String, in db: PlatformDatabase)
        async throws -> UserRecord
    {
        guard user.status != .deleted else {
            printError("refused: \(user.email) is DELETED")
            throw ExitCode.failure
        }
        guard let tenantID = user.tenantID else {
            let made =
                try await db.transaction { sql in
                    try await UserStore(db).makeOperator(id: user.id, now: Date(), on: sql)
                } ?? user
            try await AuditLog(db).record(
                actor: "cli:\(operatorName)", action: "user.made_operator", target: user.id, detail: reason)
            return made
        }
        let scope = try await TenantScope.console(
            operator: operatorName, actingIn: tenantID, reason: reason, audit: AuditLog(db))
        switch try await TenantUserStore(db).makeOperator(user.id, in: scope) {
        case .success(let updated): return updated
        case .failure(.lastAdmin):
            printError("refused: \(user.email) is the tenant's last active ADMIN; make another ADMIN first")
            throw ExitCode.failure
        case .failure:
            printError("no user '\(user.email)' in its tenant")
            throw ExitCode.failure
        }
    }

    static func change(_ name: String, role: Role?, status: UserStatus?, reason: String, options: CommonOptions)
        async throws
    {
        let logger = try options.makeLogger(label: "platform.users")
        let operatorName = ProcessInfo.processInfo.environment["USER"] ?? "operator"
        let changed = try await options.withCurrentDatabase(logger: logger) {
            db -> UserRecord in
            let user = try await find(name, in: db)
            if role == .superAdmin {
                return try await makeOperator(user, operatorName: operatorName, reason: reason, in: db)
            }
            guard user.status != .deleted else {
                printError("refused: \(user.email) is DELETED, which is final (Authorizer deleted the account)")
                throw ExitCode.failure
            }
            guard let tenantID = user.tenantID else {
                guard role == nil, let status else {
                    printError("\(user.email) belongs to no tenant; only its status can change")
                    throw ExitCode.failure
                }
                let changed =
                    try await db.transaction { sql in
                        try await UserStore(db).takeOverSuspension(userID: user.id, on: sql)
                        return try await UserStore(db).setStatus(
                            status, authorizerID: user.authorizerID, now: Date(), on: sql)
                    } ?? user
                // A user in no tenant (an operator, say) has no tenant log: the platform's takes it.
                try await AuditLog(db).record(
                    actor: "cli:\(operatorName)", action: "user.changed", target: user.id,
                    detail: "status=\(status.rawValue); \(reason)")
                return changed
            }
            let scope = try await TenantScope.console(
                operator: operatorName, actingIn: tenantID, reason: reason, audit: AuditLog(db))
            switch try await TenantUserStore(db).change(user.id, role: role, status: status, in: scope) {
            case .success(let updated): return updated
            case .failure(.lastAdmin):
                printError("refused: \(user.email) is the tenant's last active ADMIN; make another ADMIN first")
                throw ExitCode.failure
            case .failure(.notFound):
                printError("no user '\(name)' in its tenant")
                throw ExitCode.failure
            case .failure(.notAllowed(let why)):
                printError("refused: \(why)")
                throw ExitCode.failure
            }
        }
        print(List.line(changed))
        if status == .suspended {
            print("running gateways refuse this user within their user-cache TTL (5 s by default)")
        }
    }
}
