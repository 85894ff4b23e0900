import AsyncHTTPClient
import AuthorizerClient
import Foundation
import Logging
import NIOCore
import PlatformDB
import SQLKit
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The README's production sequence, run as written (the block after the "production sequence"
/// marker): on a PostgreSQL cluster of its own (roles are cluster-wide, so the shared test server
/// is not used), with psql, the real `platform` executable and a local Authorizer. Then the app
/// role's grants: each statement the gateway never makes is refused.
@Suite(.enabled(if: TestPostgres.adminURL != nil)) struct ProductionPathTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The README's block, as it stands.
    static func productionBlock() throws -> String {
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let marker = try #require(readme.range(of: "<!-- production sequence"))
        let start = try #require(readme.range(of: "```sh\n", range: marker.upperBound..<readme.endIndex))
        let end = try #require(readme.range(of: "\n```", range: start.upperBound..<readme.endIndex))
        return String(readme[start.upperBound..<end.lowerBound])
    }

    /// Runs `script` with bash and waits for it, output to a file. Spawned with `posix_spawn`,
    /// not `Process`: Foundation's `waitUntilExit` waits on a descriptor that a server the script
    /// leaves running (PostgreSQL, `platform serve &`) inherits, and would never return.
    static func bash(_ script: String, environment: [String: String]) throws -> (status: Int32, output: String) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("bash-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let script = "cd '\(root.path)' && " + script
        let words: [String] = ["/bin/bash", "-c", script]
        let arguments: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        let pairs: [String] = environment.map { "\($0.key)=\($0.value)" }
        let variables: [UnsafeMutablePointer<CChar>?] = pairs.map { strdup($0) } + [nil]
        defer {
            arguments.forEach { free($0) }
            variables.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/bash", &actions, nil, arguments, variables)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (exit, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    @Test func theREADMEsProductionSequenceRunsAsWritten() async throws {
        let block = try Self.productionBlock()
        #expect(block.contains("platform migrate") && block.contains("serve --no-migrate"))
        #expect(block.contains("reconcile --dry-run"))
        var environment = ProcessInfo.processInfo.environment
        environment["PLATFORM_TEST_POSTGRES_URL"] = nil
        let started = try Self.bash(
            "source scripts/lib/postgres.sh && pg_start_throwaway >/dev/null && echo \"$PG_PORT $PG_DIR\"",
            environment: environment)
        #expect(started.status == 0, "\(started.output)")
        let parts = started.output.split(whereSeparator: \.isWhitespace).map(String.init)
        guard started.status == 0, parts.count >= 2 else { return }
        let (port, folder) = (parts[parts.count - 2], parts[parts.count - 1])
        defer {
            _ = try? Self.bash(
                """
                source scripts/lib/postgres.sh; PG_DIR=\(folder); PG_RUN=()
                [ "$(id -u)" -eq 0 ] && PG_RUN=(runuser -u postgres --)
                pg_stop_throwaway
                """, environment: environment)
        }
        // A local Authorizer with two users the platform does not know yet.
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("prod-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let (clientID, clientSecret, adminSecret) = (
            "prod-client", "prod-client-secret-0123456789", "prod-admin-0123456789"
        )
        let authorizerPort = CrashRecoveryTests.freePort()
        let authorizer = CrashRecoveryTests.authorizerProcess(
            port: authorizerPort, folder: work, clientID: clientID, clientSecret: clientSecret,
            adminSecret: adminSecret,
            extra: ["--jwt-type", "RS256", "--log-level", "warning"])
        try authorizer.run()
        defer { authorizer.terminate() }
        let authorizerURL = "http://127.0.0.1:\(authorizerPort)"
        #expect(try await Self.waitFor("\(authorizerURL)/healthz"), "platform authorizer did not start")
        let client = AuthorizerClient(
            configuration: .init(url: authorizerURL, clientID: clientID, adminSecret: adminSecret), version: .v2)
        for n in 0..<2 {
            _ = try await client.signup(
                email: "prod-\(n)@example.com", password: "Str0ng!pass", confirmPassword: "Str0ng!pass",
                givenName: "P\(n)", familyName: nil)
        }

        // The block, with its variables and `platform` on the PATH.
        let bin = work.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: bin.appendingPathComponent("platform").path, withDestinationPath: CrashRecoveryTests.platformBinary)
        let gatewayPort = CrashRecoveryTests.freePort()
        var sequence = environment
        sequence["PATH"] = "\(bin.path):\(environment["PATH"] ?? "/usr/bin:/bin")"
        sequence["SUPERUSER_URL"] = "postgres://platform_test@127.0.0.1:\(port)/postgres?sslmode=disable"
        sequence["DB_HOST"] = "127.0.0.1:\(port)"
        sequence["OWNER_PASSWORD"] = "owner-pw-0123"
        sequence["APP_PASSWORD"] = "app-pw-0123"
        sequence["AUTHORIZER_URL"] = authorizerURL
        sequence["AUTHORIZER_CLIENT_ID"] = clientID
        sequence["AUTHORIZER_ADMIN_SECRET"] = adminSecret
        sequence["WEBHOOK_AUTHORIZER_SECRET"] = clientSecret
        sequence["TENANT_KEY"] = "tenant-key-0123456789abcdef0123456789"
        // The test's own: where serve listens, quiet logs, no scheduled reconcile racing the dry run.
        sequence["PORT"] = String(gatewayPort)
        sequence["LOG_LEVEL"] = "warning"
        sequence["RECONCILE_INTERVAL"] = "0"
        sequence["DRAIN_PERIOD"] = "0"
        // The background serve's pid is printed however the block ends, so that it is always stopped.
        let ran = try Self.bash("trap 'echo \"SERVE_PID=$!\"' EXIT\nset -e\n" + block + "\n", environment: sequence)
        let pid = ran.output.components(separatedBy: "SERVE_PID=").last.flatMap {
            Int32($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        defer { if let pid { kill(pid, SIGTERM) } }
        #expect(ran.status == 0, "the README's production sequence failed:\n\(ran.output)")
        #expect(ran.output.contains("created 2"), "the dry run reports the drift:\n\(ran.output)")
        #expect(try await Self.waitFor("http://127.0.0.1:\(gatewayPort)/readyz"), "serve is not ready:\n\(ran.output)")

        // The app role: what the gateway does works, what it never does is refused.
        let app = try DatabaseURL("postgres://platform_app:app-pw-0123@127.0.0.1:\(port)/platform?sslmode=disable")
        try await PlatformDatabase.withOpened(app, logger: Logger(label: "test.grants")) { database in
            let users = try await database.withConnection { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM users").first()?.decode(column: "n", as: Int.self)
            }
            #expect(users == 2, "reconcile (after the dry run) made both users")
            try await database.withConnection { sql in
                try await sql.raw("INSERT INTO audit_log (id, actor, action, target) VALUES ('g1', 't', 'test', 'x')")
                    .run()
            }
            let forbidden = [
                "DELETE FROM audit_log", "UPDATE audit_log SET action = 'erased'",
                "INSERT INTO platform_migrations (name, applied_at) VALUES ('x', now())",
                "DELETE FROM platform_migrations", "UPDATE platform_migrations SET name = 'x'",
                "DELETE FROM users", "DELETE FROM clients", "TRUNCATE workflows", "DROP TABLE reports",
                "ALTER TABLE users ADD COLUMN x TEXT", "CREATE TABLE scratch (x TEXT)",
                "UPDATE users SET role = 'SUPER_ADMIN' WHERE email = 'prod-0@example.com'",
                "INSERT INTO platform_operators (identity) VALUES ('prod-1@example.com')",
                // No temporary table, type or function may stand in for the owner's objects.
                "CREATE TEMP TABLE platform_operators (identity TEXT)", "SELECT key FROM platform_tenant_key",
            ]
            for statement in forbidden { try await Self.expectRefused(statement, on: database) }
        }
        try await Self.expectOperatorsListedByTheOwnerOnly(sequence, port: port)
        try await Self.expectTenantsProvedNotClaimed(gateway: "http://127.0.0.1:\(gatewayPort)", port: port)
    }

    /// Through the gateway, a tenant's member reads its workflow (the proof in `app.client_id` is
    /// accepted under row-level security as the app role); in raw SQL as the app role, setting
    /// `app.client_id` to that tenant, bare or with a forged proof, admits none of its rows.
    static func expectTenantsProvedNotClaimed(gateway: String, port: String) async throws {
        let account = [
            "email": "owner@acme.example", "password": "Str0ng!pass", "confirmPassword": "Str0ng!pass",
            "clientName": "Acme",
        ]
        let signup = try await call("POST", "\(gateway)/auth/signup", account)
        #expect(signup.status == 201, "\(signup.body)")
        let login = try await call(
            "POST", "\(gateway)/auth/login", ["email": account["email"]!, "password": "Str0ng!pass"])
        let token = try #require(login.json["accessToken"] as? String, "\(login.body)")
        let made = try await call(
            "POST", "\(gateway)/workflows",
            ["name": "Proved", "definition": ["trigger": ["type": "schedule"], "steps": [["type": "http"]]]],
            bearer: token)
        #expect(made.status == 201, "\(made.body)")
        let listed = try await call("GET", "\(gateway)/workflows?limit=20", nil, bearer: token)
        #expect((listed.json["items"] as? [Any])?.count == 1, "the member reads its workflow: \(listed.body)")

        let app = try DatabaseURL("postgres://platform_app:app-pw-0123@127.0.0.1:\(port)/platform?sslmode=disable")
        try await PlatformDatabase.withOpened(app, logger: Logger(label: "test.tenant-proof")) { database in
            let tenant = try #require(
                try await database.withConnection { sql in
                    try await sql.raw("SELECT client_id FROM users WHERE email = 'owner@acme.example'").first()?
                        .decode(column: "client_id", as: String?.self)
                })
            for claimed in [tenant, "\(tenant).\(String(repeating: "0", count: 64))"] {
                let seen = try await database.transaction(settings: [(PlatformDatabase.tenantSetting, claimed)]) {
                    sql in
                    try await sql.raw("SELECT COUNT(*) AS n FROM workflows").first()?.decode(column: "n", as: Int.self)
                }
                #expect(seen == 0, "app.client_id = \(claimed) admitted \(seen ?? -1) rows")
            }
        }
    }

    /// One JSON call: status, body text, and the body as an object.
    static func call(_ method: String, _ url: String, _ json: [String: Any]?, bearer: String? = nil) async throws
        -> (status: Int, body: String, json: [String: Any])
    {
        var request = HTTPClientRequest(url: url)
        request.method = .init(rawValue: method)
        request.headers.add(name: "Content-Type", value: "application/json")
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        if let json { request.body = .bytes(try JSONSerialization.data(withJSONObject: json)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = String(buffer: try await response.body.collect(upTo: 1 << 20))
        let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
        return (Int(response.status.code), body, object)
    }

    /// The owner lists an operator by Authorizer id; the app role may then make that user, and
    /// only that one, an operator. An email is refused as a listing (the app role can rewrite a
    /// row's email); serve refuses an unlisted operator, and a missing tenant key, at start (64).
    static func expectOperatorsListedByTheOwnerOnly(_ sequence: [String: String], port: String) async throws {
        let app = try DatabaseURL("postgres://platform_app:app-pw-0123@127.0.0.1:\(port)/platform?sslmode=disable")
        let operatorID = try await PlatformDatabase.withOpened(app, logger: Logger(label: "test.grants")) { database in
            try await database.withConnection { sql in
                try await sql.raw("SELECT authorizer_id FROM users WHERE email = 'prod-0@example.com'").first()?
                    .decode(column: "authorizer_id", as: String.self)
            }
        }
        let id = try #require(operatorID)
        let owner = "--database-url \"postgres://platform_owner:$OWNER_PASSWORD@$DB_HOST/platform\""
        let byEmail = try bash("platform migrate \(owner) --super-admin prod-0@example.com", environment: sequence)
        #expect(byEmail.status == 64 && byEmail.output.contains("Authorizer id"), "\(byEmail.output)")
        let listed = try bash("platform migrate \(owner) --super-admin \(id)", environment: sequence)
        #expect(listed.status == 0, "\(listed.output)")
        let serve =
            "platform serve --no-migrate --port \(CrashRecoveryTests.freePort()) --database-url \"postgres://platform_app:$APP_PASSWORD@$DB_HOST/platform\""
        let unlisted = try bash("\(serve) --super-admin prod-1@example.com", environment: sequence)
        #expect(unlisted.status == 64 && unlisted.output.contains("prod-1@example.com"), "\(unlisted.output)")
        var keyless = sequence
        keyless["TENANT_KEY"] = nil
        let withoutKey = try bash(serve, environment: keyless)
        #expect(withoutKey.status == 64 && withoutKey.output.contains("TENANT_KEY"), "\(withoutKey.output)")
        try await PlatformDatabase.withOpened(app, logger: Logger(label: "test.grants")) { database in
            try await database.withConnection {
                try await $0.raw("UPDATE users SET role = 'SUPER_ADMIN' WHERE email = 'prod-0@example.com'").run()
            }
            for statement in [
                "UPDATE users SET role = 'SUPER_ADMIN' WHERE email = 'prod-1@example.com'",
                // A listed operator's row keeps its id: a row made to carry another id is refused.
                "UPDATE users SET authorizer_id = 'forged-id' WHERE email = 'prod-0@example.com'",
            ] {
                try await expectRefused(statement, on: database)
            }
        }
    }

    /// `statement` fails as the app role with SQLSTATE 42501 (insufficient privilege).
    static func expectRefused(_ statement: String, on database: PlatformDatabase) async throws {
        do {
            try await database.withConnection { try await $0.raw(SQLQueryString(stringLiteral: statement)).run() }
            Issue.record("the app role may not: \(statement)")
        } catch {
            #expect("\(error)".contains("42501"), "\(statement): \(error)")
        }
    }

    /// Whether `url` answers 200 within 20 s.
    static func waitFor(_ url: String) async throws -> Bool {
        for _ in 0..<200 {
            if let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(1)),
                response.status == .ok
            {
                return true
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
