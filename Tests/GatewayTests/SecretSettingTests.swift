import Foundation
import Gateway
import Logging
import PlatformDB
import Testing

/// Every secret setting is refused at start when empty, whitespace-only or shorter than its
/// documented minimum, by flag and by environment, and the error names the key (issue 25, fault
/// 1: an empty WEBHOOK_AUTHORIZER_SECRET passed the start guard and made "" a signing key anyone
/// could use to become SUPER_ADMIN). The real executable, as an operator runs it.
@Suite struct SecretSettingTests {
    /// One secret setting: its flag, its environment variable, the command it belongs to, and
    /// values: refused ones and one accepted.
    struct Setting: Sendable, CustomTestStringConvertible {
        var flag: String
        var variable: String
        var command: [String]
        var refused: [String]
        var accepted: String
        var testDescription: String { flag }
    }

    /// Arguments that get a command past everything but its secrets, then fail on the database
    /// (a folder that cannot exist), so nothing starts either way.
    static let serve = [
        "serve", "--database-url", "sqlite:///proc/no-such-folder/platform.sqlite", "--authorizer-url",
        "http://127.0.0.1:9",
        "--authorizer-client-id", "c",
    ]
    static let authorizer = [
        "authorizer", "--database-url", "sqlite:///proc/no-such-folder/az.sqlite", "--client-id", "c", "--jwt-type",
        "HS256",
    ]
    static let plain = ["", " \t ", "short-secret"]
    static let long = "a-secret-of-enough-bytes-0123456789"
    static func whsec(_ bytes: Int) -> String { "whsec_" + Data(repeating: 7, count: bytes).base64EncodedString() }

    static let settings: [Setting] = [
        Setting(
            flag: "--authorizer-admin-secret", variable: "AUTHORIZER_ADMIN_SECRET", command: serve, refused: plain,
            accepted: long),
        Setting(
            flag: "--authorizer-jwt-secret", variable: "AUTHORIZER_JWT_SECRET", command: serve,
            refused: ["", " \t "], accepted: long),
        Setting(
            flag: "--webhook-authorizer-secret", variable: "WEBHOOK_AUTHORIZER_SECRET", command: serve, refused: plain,
            accepted: long),
        Setting(
            flag: "--webhook-signature-secret", variable: "WEBHOOK_SIGNATURE_SECRET", command: serve, refused: plain,
            accepted: long),
        Setting(
            flag: "--webhook-standard-secret", variable: "WEBHOOK_STANDARD_SECRETS", command: serve,
            refused: ["", " ", "whsec_", whsec(16), whsec(65)], accepted: whsec(32)),
        Setting(
            flag: "--webhook-static-header", variable: "WEBHOOK_STATIC_HEADER", command: serve,
            refused: ["X-Webhook-Secret: ", "X-Webhook-Secret:    ", "X-Webhook-Secret: short"],
            accepted: "X-Webhook-Secret: \(long)"),
        Setting(
            flag: "--client-secret", variable: "AUTHORIZER_CLIENT_SECRET",
            command: authorizer + ["--admin-secret", long, "--jwt-secret", long + long],
            refused: plain, accepted: long),
        Setting(
            flag: "--admin-secret", variable: "AUTHORIZER_ADMIN_SECRET",
            command: authorizer + ["--client-secret", long, "--jwt-secret", long + long],
            refused: plain, accepted: long),
        Setting(
            flag: "--jwt-secret", variable: "AUTHORIZER_JWT_SECRET",
            command: authorizer + ["--client-secret", long, "--admin-secret", long],
            refused: ["", " \t "], accepted: long),
    ]

    /// The executable, with none of the secret variables set but those of `extra`.
    static func run(_ arguments: [String], environment extra: [String: String]) throws -> (
        status: Int32, output: String
    ) {
        var environment = ProcessInfo.processInfo.environment
        for setting in settings { environment[setting.variable] = nil }
        environment.merge(extra) { $1 }
        return try OperatorCLITests.run(arguments, environment: environment)
    }

    @Test(arguments: settings)
    func aSecretThatIsEmptyBlankOrShortIsRefusedAtStartByFlagAndByEnvironment(_ setting: Setting) throws {
        for value in setting.refused {
            let byFlag = try Self.run(setting.command + [setting.flag, value], environment: [:])
            #expect(byFlag.status == 64, "\(setting.flag) '\(value)': \(byFlag.output)")
            #expect(byFlag.output.contains(setting.flag), "\(setting.flag) '\(value)' is named: \(byFlag.output)")
            let byEnvironment = try Self.run(setting.command, environment: [setting.variable: value])
            #expect(byEnvironment.status == 64, "\(setting.variable) '\(value)': \(byEnvironment.output)")
            #expect(
                byEnvironment.output.contains(setting.variable),
                "\(setting.variable) '\(value)' is named: \(byEnvironment.output)")
        }
        // The control: an accepted value gets past the secrets (and fails later, on the database).
        let accepted = try Self.run(setting.command + [setting.flag, setting.accepted], environment: [:])
        #expect(!accepted.output.contains(setting.flag), "\(setting.flag) accepted: \(accepted.output)")
        let acceptedByEnvironment = try Self.run(setting.command, environment: [setting.variable: setting.accepted])
        #expect(
            !acceptedByEnvironment.output.contains(setting.variable),
            "\(setting.variable) accepted: \(acceptedByEnvironment.output)")
    }

    /// A JWT secret under 32 bytes is Authorizer's own, which Authorizer takes (it refuses only an
    /// empty one, `internal/token/provider.go`): the gateway and the twin start with a loud
    /// warning naming the key, not a refusal (issue 19, behaviour 12).
    @Test func aShortJWTSecretStartsWithAWarning() throws {
        for (command, flag, variable) in [
            (Self.serve, "--authorizer-jwt-secret", "AUTHORIZER_JWT_SECRET"),
            (
                Self.authorizer + ["--client-secret", Self.long, "--admin-secret", Self.long], "--jwt-secret",
                "AUTHORIZER_JWT_SECRET"
            ),
        ] {
            let byFlag = try Self.run(command + [flag, "short-secret"], environment: [:])
            #expect(byFlag.status != 64, "\(flag): \(byFlag.output)")
            #expect(byFlag.output.contains("warning: \(flag) is shorter than 32 bytes"), "\(byFlag.output)")
            let byEnvironment = try Self.run(command, environment: [variable: "x"])
            #expect(
                byEnvironment.output.contains("warning: \(variable) is shorter than 32 bytes"),
                "\(byEnvironment.output)")
        }
    }

    /// The library refuses the same, for whoever builds the gateway without the command line.
    @Test func buildApplicationRefusesAnEmptyWebhookSecret() async throws {
        let logger = Logger(label: "test.secrets")
        var webhooks = WebhookAuthentication()
        webhooks.authorizerSecret = ""
        let refused = GatewayConfiguration(port: 0, webhooks: webhooks)
        await #expect(throws: GatewayConfigurationError.self) {
            _ = try await buildApplication(
                configuration: refused, database: try await PlatformDatabase.open(.sqliteMemory, logger: logger),
                logger: logger)
        }
        webhooks.authorizerSecret = Self.long
        let accepted = GatewayConfiguration(port: 0, webhooks: webhooks)
        _ = try await buildApplication(
            configuration: accepted, database: try await PlatformDatabase.open(.sqliteMemory, logger: logger),
            logger: logger)
    }
}
