import Foundation
import Logging
import PlatformDB
import Testing

/// `platform users` and `platform clients`, run as an operator would: the real executable on a
/// database file, no token.
@Suite struct OperatorCLITests {
    @discardableResult
    static func platform(_ arguments: [String], expect status: Int32 = 0) throws -> String {
        let (exit, text) = try run(arguments)
        #expect(exit == status, "platform \(arguments.joined(separator: " ")): \(text)")
        return text
    }

    /// Runs the executable with `environment` (the test's own by default) and returns its exit
    /// status and everything it printed.
    static func run(_ arguments: [String], environment: [String: String]? = nil) throws -> (
        status: Int32, output: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CrashRecoveryTests.platformBinary)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A size out of range is refused before anything starts (the database URL is unusable, so a
    /// flag that were ignored would end in a different error, not in a server that runs).
    @Test func serveRefusesAPageCacheSizeOutOfRange() throws {
        let refused = try Self.platform(
            ["serve", "--page-cache-mb", "99999", "--database-url", "sqlite:///proc/no-such-folder/platform.sqlite"],
            expect: 64)
        #expect(refused.contains("--page-cache-mb: '99999' is not 0 (off) to 4096"))
    }

    /// Every number `serve` reads, out of range or not a number, by its flag and by its variable:
    /// refused at start (usage, 64) with the key it came from. Before swift-configuration,
    /// `--port 70000` listened on 4464 and a non-numeric `RECONCILE_INTERVAL`,
    /// `SESSION_CHECK_INTERVAL`, `SHUTDOWN_TIMEOUT` or rate limit was silently ignored.
    @Test(arguments: [
        ("--port", "PORT", "70000"), ("--port", "PORT", "http"), ("--shutdown-timeout", "SHUTDOWN_TIMEOUT", "0"),
        ("--shutdown-timeout", "SHUTDOWN_TIMEOUT", "30s"), ("--reconcile-interval", "RECONCILE_INTERVAL", "15m"),
        ("--session-check-interval", "SESSION_CHECK_INTERVAL", "soon"),
        ("--auth-rate-limit-per-ip", "AUTH_RATE_LIMIT_PER_IP", "-1"),
        ("--auth-rate-limit-per-email", "AUTH_RATE_LIMIT_PER_EMAIL", "ten"),
        ("--auth-failed-logins-per-address", "AUTH_FAILED_LOGINS_PER_ADDRESS", "5"),
        ("--page-cache-mb", "PAGE_CACHE_MB", "1e3"), ("--guard-mode", "GUARD_MODE", "strict"),
        ("--authorizer-version", "AUTHORIZER_VERSION", "3"), ("--drain-period", "DRAIN_PERIOD", "forty"),
        ("--drain-period", "DRAIN_PERIOD", "60"),  // not below the 30 s shutdown timeout that includes it
        ("--database-pool-size", "DATABASE_POOL_SIZE", "0"), ("--metrics-port", "METRICS_PORT", "70000"),
        ("--webhook-retention-days", "WEBHOOK_RETENTION_DAYS", "-3"),
        ("--web-app-url", "WEB_APP_URL", "javascript:alert(1)"),
        ("--authorizer-browser-url", "AUTHORIZER_BROWSER_URL", "auth.example.com"),
    ])
    func everyBadNumberIsRefusedWithItsKey(flag: String, variable: String, value: String) throws {
        let serve = SecretSettingTests.serve
        var environment = ProcessInfo.processInfo.environment
        environment[variable] = nil
        let byFlag = try Self.run(serve + ["\(flag)=\(value)"], environment: environment)
        #expect(byFlag.status == 64, "\(flag) \(value): \(byFlag.output)")
        #expect(byFlag.output.contains("\(flag): '\(value)' is not"), "\(byFlag.output)")
        environment[variable] = value
        let byVariable = try Self.run(serve, environment: environment)
        #expect(byVariable.status == 64, "\(variable)=\(value): \(byVariable.output)")
        #expect(byVariable.output.contains("\(variable): '\(value)' is not"), "\(byVariable.output)")
    }

    /// Settings that contradict each other or would be lost: refused at start, naming the key, by
    /// flag and by environment. Before, `--insecure-webhooks` beside a secret turned verification
    /// off, `serve` with no Authorizer URL started "ready" and answered 404 to everything, and a
    /// repeated flag kept its last value.
    @Test func contradictionsAndRepeatsAreRefusedWithTheKeyNamed() throws {
        let database = ["--database-url", "sqlite:///proc/no-such-folder/platform.sqlite"]
        var environment = ProcessInfo.processInfo.environment
        for name in ["AUTHORIZER_URL", "WEBHOOK_AUTHORIZER_SECRET", "AUTHORIZER_VERSION"] { environment[name] = nil }
        let serve = SecretSettingTests.serve
        let byFlag = try Self.run(
            serve + ["--insecure-webhooks", "--webhook-authorizer-secret", "whs-0123456789abcdef"],
            environment: environment)
        #expect(
            byFlag.status == 64 && byFlag.output.contains("--insecure-webhooks: given with --webhook-authorizer-secret")
        )
        var withSecret = environment
        withSecret["WEBHOOK_AUTHORIZER_SECRET"] = "whs-0123456789abcdef"
        let byVariable = try Self.run(serve + ["--insecure-webhooks"], environment: withSecret)
        #expect(
            byVariable.status == 64
                && byVariable.output.contains("--insecure-webhooks: given with WEBHOOK_AUTHORIZER_SECRET"),
            "\(byVariable.output)")
        let noAuthorizer = try Self.run(["serve"] + database, environment: environment)
        #expect(noAuthorizer.status == 64 && noAuthorizer.output.contains("--authorizer-url"), "\(noAuthorizer.output)")
        let repeated = try Self.run(serve + ["--port", "8081", "--port=8082"], environment: environment)
        #expect(repeated.status == 64 && repeated.output.contains("--port: given more than once"), "\(repeated.output)")
        let twice = try Self.run(
            serve + [
                "--webhook-authorizer-secret", "whs-0123456789abcdef", "--webhook-authorizer-secret",
                "whs-abcdef0123456789",
            ],
            environment: environment)
        #expect(twice.status == 64 && twice.output.contains("--webhook-authorizer-secret: given more than once"))
        #expect(!twice.output.contains("whs-"), "no secret in the refusal")
        // The version is taken by flag and by environment alike: the effective configuration says so.
        let versionByFlag = try Self.run(
            serve + ["--insecure-webhooks", "--authorizer-version", "1"], environment: environment)
        #expect(versionByFlag.output.contains("version: 1.x"), "\(versionByFlag.output)")
        var version = environment
        version["AUTHORIZER_VERSION"] = "1"
        let versionByVariable = try Self.run(serve + ["--insecure-webhooks"], environment: version)
        #expect(versionByVariable.output.contains("version: 1.x"), "\(versionByVariable.output)")
    }

    /// `platform authorizer` takes the flags of Authorizer's that the docs tell operators to use
    /// (`--disable-mfa`, which ``CrashRecoveryTests/authorizerProcess`` gives, `--disable-totp-login`,
    /// `--rate-limit-rps`, `--env`) and honours `LOG_FORMAT` (before, its own
    /// default of the flag hid the variable).
    @Test func theLocalAuthorizerTakesAuthorizersFlagsAndLogFormatFromTheEnvironment() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("az-flags-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = CrashRecoveryTests.freePort()
        let process = CrashRecoveryTests.authorizerProcess(
            port: port, folder: folder,
            extra: ["--disable-totp-login", "--rate-limit-rps", "100", "--env", "production"])
        var environment = ProcessInfo.processInfo.environment
        environment["LOG_FORMAT"] = "json"
        environment["LOG_LEVEL"] = "info"
        process.environment = environment
        let output = Pipe()
        process.standardError = output
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let served = try await ProductionPathTests.waitFor("http://127.0.0.1:\(port)/healthz")
        process.terminate()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(served, "platform authorizer with Authorizer's flags did not serve: \(text)")
        let lines = text.split(separator: "\n").filter { !$0.isEmpty }
        #expect(!lines.isEmpty && lines.allSatisfy { $0.hasPrefix("{") }, "LOG_FORMAT=json: \(text)")
    }

    /// `platform webhooks list` shows each event's age and stored error, under a header.
    @Test func theInboxListingShowsAgeAndError() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("inbox-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = "sqlite://\(folder.path)/platform.sqlite"
        try Self.platform(["migrate", "--database-url", url, "--log-level", "error"])
        try await PlatformDatabase.withOpened(try DatabaseURL(url), logger: Logger(label: "test")) { database in
            let inbox = WebhookInbox(database)
            _ = try await inbox.accept(
                eventName: "user.signup", authorizerID: "az-1", bodyHash: "h1", dedupeKey: "k1", body: "{}",
                now: Date(timeIntervalSinceNow: -2 * 3600 - 5))
            try await database.withConnection {
                try await $0.raw("UPDATE webhook_events SET status = 'FAILED', last_error = 'value refused: x'").run()
            }
        }
        let listed = try Self.platform(["webhooks", "list", "--database-url", url, "--log-level", "error"])
        let lines = listed.split(separator: "\n")
        #expect(lines.first?.hasPrefix("ID") == true && lines.first?.contains("AGE") == true, "\(listed)")
        #expect(lines.count == 2 && lines[1].contains(" 2h ") && lines[1].contains("value refused: x"), "\(listed)")
    }

    @Test func operatorsManageUsersAndTenantsWithoutAToken() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = "sqlite://\(folder.path)/platform.sqlite"
        let db = ["--database-url", url, "--log-level", "error"]
        try Self.platform(["migrate"] + db)

        let created = try Self.platform(["clients", "create", "Acme Corp"] + db)
        let clientID = String(try #require(created.split(separator: " ").first))
        #expect(created.contains("acme-corp-"))
        #expect(try Self.platform(["clients", "list"] + db).contains("Acme Corp"))

        // Two members of the tenant: an ADMIN and a USER (as signup and an invitation would make them).
        try await PlatformDatabase.withOpened(try DatabaseURL(url), logger: Logger(label: "test")) { database in
            let store = UserStore(database)
            let admin = try await store.create(
                .init(
                    authorizerID: "az-admin", email: "admin@acme.test", role: .admin, status: .active,
                    tenantID: clientID))
            _ = try await store.create(
                .init(
                    authorizerID: "az-user", email: "user@acme.test", role: .user, status: .active, tenantID: clientID))
            _ = admin
        }
        let listed = try Self.platform(["users", "list", "--client", clientID] + db)
        #expect(listed.contains("admin@acme.test") && listed.contains("user@acme.test"))
        #expect(try Self.platform(["users", "show", "az-user"] + db).contains("role           USER"))

        // The last ADMIN cannot be demoted, from the console either.
        let refused = try Self.platform(["users", "set-role", "admin@acme.test", "USER"] + db, expect: 1)
        #expect(refused.contains("last active ADMIN"))
        try Self.platform(["users", "set-role", "user@acme.test", "admin", "--reason", "team lead"] + db)
        try Self.platform(["users", "set-role", "admin@acme.test", "USER"] + db)
        #expect(
            try Self.platform(["users", "suspend", "user@acme.test"] + db, expect: 1).contains("last active ADMIN"))
        try Self.platform(["users", "set-role", "admin@acme.test", "ADMIN"] + db)
        let suspended = try Self.platform(["users", "suspend", "user@acme.test", "--reason", "left"] + db)
        #expect(suspended.contains("SUSPENDED"))
        #expect(try Self.platform(["users", "suspend", "user@acme.test", "--reactivate"] + db).contains("ACTIVE"))
        #expect(
            try Self.platform(["users", "show", "nobody@acme.test"] + db, expect: 1).contains(
                "no user 'nobody@acme.test'"))
        // The console makes (or restores) an operator, who leaves the tenant (issue 25).
        #expect(try Self.platform(["users", "set-role", "user@acme.test", "SUPER_ADMIN"] + db).contains("SUPER_ADMIN"))

        // Each change is in the tenant's audit log, by the console operator.
        try await PlatformDatabase.withOpened(try DatabaseURL(url), logger: Logger(label: "test")) { database in
            let changes = try await AuditLog(database).entries(action: "user.changed")
            #expect(changes.count == 5, "\(changes)")
            #expect(changes.allSatisfy { $0.actor.hasPrefix("cli:") })
        }
        for command in [["users"], ["clients"], ["users", "set-role"], ["users", "suspend"], ["clients", "create"]] {
            let help = try Self.platform(command + ["--help"])
            #expect(help.contains("USAGE") || help.contains("Usage") || help.contains("usage"), "\(command)")
        }
    }
}
