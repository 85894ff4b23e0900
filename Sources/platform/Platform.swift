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

    /// Refuses a flag given twice that takes one value, then runs the command.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let flag = Setting.repeatedFlag(in: arguments) {
            exit(
                withError: ValidationError(
                    "\(flag): given more than once; it takes one value (a rotation takes the current and the previous secret as two flags)"
                ))
        }
        await Self.main(arguments)
    }
}
