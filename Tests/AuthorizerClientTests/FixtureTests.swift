import Foundation
import GraphQL
import TestSupport
import Testing

/// The schema fixtures are the project's own SDL (Authorizer's 1.4.4, 2.3.0 and 2.4.0 schemas,
/// written from the reference without its comments), read from the repository only: each builds to
/// a schema with the root operations the client's documents use.
@Suite struct FixtureTests {
    @Test(arguments: ["schema-1.4.4.graphqls", "schema-2.3.0.graphqls", "schema-2.4.0.graphqls"])
    func eachFixtureBuildsToASchema(_ name: String) throws {
        let schema = try buildSchema(source: Fixtures.authorizer(name))
        #expect(try schema.queryType?.fields()["meta"] != nil, "\(name)")
        #expect(try schema.mutationType?.fields()["login"] != nil, "\(name)")
    }
}
