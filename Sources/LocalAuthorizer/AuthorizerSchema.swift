/// The GraphQL schema this server serves: Authorizer 2.4.0's whole schema (`internal/graph/schema.graphqls`
/// at tag 2.4.0), written without its comments. A test compares the served introspection with the
/// project's fixture of that file, both ways. 1.x documents validate too: their input names are
/// rewritten before validation (see ``LegacyInputNames``).
enum AuthorizerSchema {
    static let sdl = [
        accountTypes, instanceTypes, adminTypes, accountInputs,
        adminInputs, organisationInputs, operations,
    ].joined(separator: "\n\n")
}
