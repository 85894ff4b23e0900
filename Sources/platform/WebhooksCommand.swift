import ArgumentParser
import Foundation
import PlatformDB

/// `platform webhooks list|replay`: the inbox, from the command line.
struct WebhooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks",
        abstract: "Inspect and replay received webhook events.",
        discussion: """
            Examples:
              platform webhooks list --status failed
              platform webhooks replay c0mx1di5a65rhhoic15ycng8sc
            """,
        subcommands: [List.self, Replay.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List received events, oldest first.")
        @OptionGroup var options: CommonOptions
        @Option(help: "pending, applied or failed.")
        var status: String?
        @Option(help: "At most this many.")
        var limit = 100

        func run() async throws {
            if let status, !["pending", "applied", "failed"].contains(status.lowercased()) {
                throw ValidationError("--status: '\(status)' is not one of pending, applied, failed")
            }
            let logger = try options.makeLogger(label: "platform.webhooks")
            let (status, limit) = (self.status?.uppercased(), self.limit)
            let events = try await options.withCurrentDatabase(logger: logger) {
                try await WebhookInbox($0).events(status: status, limit: limit)
            }
            for event in events {
                print(
                    "\(event.id)  \(event.status.padding(toLength: 8, withPad: " ", startingAt: 0))  \(event.eventName)  \(event.authorizerID)  attempts \(event.attempts)\(event.lastError.map { "  \($0)" } ?? "")"
                )
            }
            if events.isEmpty { print("no events") }
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Queue an event to be applied again.")
        @OptionGroup var options: CommonOptions
        @Argument(help: "The event id.")
        var id: String

        func run() async throws {
            let logger = try options.makeLogger(label: "platform.webhooks")
            let id = self.id
            let found = try await options.withCurrentDatabase(logger: logger) {
                database in
                guard try await WebhookInbox(database).replay(id: id) else { return false }
                try await AuditLog(database).record(
                    actor: "cli:\(ProcessInfo.processInfo.environment["USER"] ?? "operator")",
                    action: "webhook.replayed", target: id)
                return true
            }
            guard found else {
                printError("no event \(id)")
                throw ExitCode.failure
            }
            print("queued \(id); a running gateway applies it within a second")
        }
    }
}
