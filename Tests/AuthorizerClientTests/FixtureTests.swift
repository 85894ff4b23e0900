import Foundation
import GraphQL
import TestSupport
import Testing

/// The schema fixtures are the project's own SDL (Authorizer's 1.4.4, 2.3.0 and 2.4.0 schemas,
/// written from the reference without its comments), read from the repository only: each builds to
/// a schema with the root operations the client's documents use.
@Suite struct FixtureTests {
    static let schemas = ["schema-1.4.4.graphqls", "schema-2.3.0.graphqls", "schema-2.4.0.graphqls"]
    static let golden = [
        "user.access_enabled.json", "user.access_revoked.json", "user.created.json", "user.deactivated.json",
        "user.deleted.json", "user.login.json", "user.signup.json",
    ]

    @Test(arguments: schemas)
    func eachFixtureBuildsToASchema(_ name: String) throws {
        let schema = try buildSchema(source: Fixtures.authorizer(name))
        #expect(try schema.queryType?.fields()["meta"] != nil, "\(name)")
        #expect(try schema.mutationType?.fields()["login"] != nil, "\(name)")
    }

    /// Where the reference lies beside the repository (`../shared/authorizer/`; a clone elsewhere
    /// skips this), each fixture is the reference's schema: the two build and print the same SDL,
    /// so the fixture dropped comments only.
    @Test(
        .enabled(
            if: Fixtures.reference("schema-2.4.0.graphqls") != nil, "no ../shared/authorizer beside the repository"),
        arguments: schemas)
    func eachFixtureIsTheReferenceSchema(_ name: String) throws {
        let reference = try #require(Fixtures.reference(name))
        let expected = printSchema(schema: try buildSchema(source: String(contentsOf: reference, encoding: .utf8)))
        let fixture = printSchema(schema: try buildSchema(source: Fixtures.authorizer(name)))
        #expect(fixture == expected, "\(name) differs from \(reference.path)")
    }

    /// Where the reference lies beside the repository, each golden 2.4.0 webhook body kept here is
    /// byte for byte the reference's (the bodies the twin must write; its signatures depend on
    /// every byte).
    @Test(
        .enabled(
            if: Fixtures.reference("golden/user.login.json") != nil, "no ../shared/authorizer beside the repository"),
        arguments: golden)
    func eachGoldenBodyIsTheReferences(_ name: String) throws {
        let reference = try #require(Fixtures.reference("golden/\(name)"))
        #expect(try Fixtures.data("authorizer/golden/\(name)") == Data(contentsOf: reference), "\(name)")
    }
}
