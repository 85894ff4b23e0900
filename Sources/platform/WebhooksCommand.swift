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
            guard !events.isEmpty else {
                print("no events")
                return
            }
            let now = Date()
            let rows = events.map { event in
                [
                    event.id, event.status, Self.age(now.timeIntervalSince(event.receivedAt)), event.eventName,
                    event.authorizerID, String(event.attempts), event.lastError ?? "",
                ]
            }
            let header = ["ID", "STATUS", "AGE", "EVENT", "AUTHORIZER ID", "ATTEMPTS", "ERROR"]
            let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
            for row in [header] + rows {
                let cells = row.indices.map { column in
                    column == row.count - 1
                        ? row[column] : row[column].padding(toLength: widths[column], withPad: " ", startingAt: 0)
                }
                print(cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
            }
        }

        /// Seconds as the largest whole unit: `42s`, `5m`, `3h`, `12d`.
        static func age(_ seconds: TimeInterval) -> String {
            let whole = max(0, Int(seconds))
            switch whole {
            case ..<60: return "\(whole)s"
            case ..<3600: return "\(whole / 60)m"
            case ..<86_400: return "\(whole / 3600)h"
            default: return "\(whole / 86_400)d"
            }
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
