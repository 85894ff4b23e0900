import ArgumentParser

/// The `platform` command: a thin shell that parses flags and calls the libraries.
@main
struct Platform: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "platform",
        abstract: "The automation platform: gateway, platform database and tools.",
        subcommands: [
            DevCommand.self, ServeCommand.self, MigrateCommand.self, AuthorizerCommand.self, ReconcileCommand.self,
            WebhooksCommand.self, UsersCommand.self, TenantsCommand.self,
        ]
    )
}
