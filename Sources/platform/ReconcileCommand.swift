import ArgumentParser
import AuthorizerClient
import Foundation
import Gateway
import PlatformDB

/// `platform reconcile`: one run of the reconciliation with Authorizer, with a drift report.
struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Bring the platform's users in step with Authorizer (creates, updates, marks deleted).",
        discussion: """
            Examples:
              platform reconcile --dry-run --authorizer-url https://auth.example.com --authorizer-client-id ID \\
                --authorizer-admin-secret "$ADMIN_SECRET" --database-url postgres://platform_app:…@db/platform
              platform reconcile   (with AUTHORIZER_URL, AUTHORIZER_CLIENT_ID, AUTHORIZER_ADMIN_SECRET and DATABASE_URL set)
            A second run after a successful one reports no drift.
            """
    )

    @OptionGroup var options: CommonOptions
    @OptionGroup var authorizer: AuthorizerOptions

    @Flag(help: "Report the drift without changing anything.")
    var dryRun = false

    func run() async throws {
        let logger = try options.makeLogger(label: "platform.reconcile")
        var flags = options.flags
        flags.merge(authorizer.flags) { $1 }
        guard let settings = try authorizer.settings(from: SettingsReader(flags: flags)) else {
            throw ValidationError("--authorizer-url (or AUTHORIZER_URL) is required")
        }
        guard let adminSecret = settings.adminSecret else {
            throw ValidationError(
                "--authorizer-admin-secret (or AUTHORIZER_ADMIN_SECRET) is required: reconcile reads Authorizer's _users"
            )
        }
        var configuration = AuthorizerClient.Configuration(
            url: settings.url, clientID: settings.clientID, adminSecret: adminSecret)
        configuration.timeout = .seconds(30)
        let configured = configuration
        let terminal = isatty(STDERR_FILENO) == 1
        let dryRun = self.dryRun
        // The schema is checked before Authorizer is called: a database behind is refused as is.
        let report = try await options.withCurrentDatabase(logger: logger) { database in
            let client: AuthorizerClient
            if let version = settings.version {
                client = AuthorizerClient(configuration: configured, version: version)
            } else {
                client = try await AuthorizerClient.connect(configuration: configured)
            }
            return try await Reconciler(client: client, database: database, roles: settings.roles, logger: logger)
                .run(dryRun: dryRun, actor: "cli:\(ProcessInfo.processInfo.environment["USER"] ?? "operator")") {
                    seen, total in
                    guard terminal, total > 0 else { return }
                    let width = 30
                    let filled = min(width, seen * width / total)
                    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
                    FileHandle.standardError.write(Data("\r[\(bar)] \(seen)/\(total)".utf8))
                }
        }
        if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
        print(report)
    }
}
