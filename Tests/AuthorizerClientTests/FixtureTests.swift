import Foundation
import GraphQL
import TestSupport
import Testing

/// The schema fixtures are the project's own SDL, written from the reference schemas beside the
/// project (`../shared/authorizer/`) without their comments; where the reference is present, each
/// fixture builds to the same schema.
@Suite struct FixtureTests {
    static let names = ["schema-1.4.4.graphqls", "schema-2.3.0.graphqls", "schema-2.4.0.graphqls"]

    /// `shared/authorizer/<name>` above this file, if the project's shared folder is there.
    static func reference(_ name: String, from file: String = #filePath) -> String? {
        var folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("shared/authorizer/\(name)")
            if let text = try? String(contentsOf: candidate, encoding: .utf8) { return text }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }

    @Test(arguments: names)
    func eachFixtureIsTheReferenceSchema(_ name: String) throws {
        let fixture = try buildSchema(source: Fixtures.authorizer(name))
        #expect(!fixture.typeMap.isEmpty)
        guard let reference = Self.reference(name) else { return }  // a clone elsewhere: the fixture alone
        #expect(printSchema(schema: fixture) == printSchema(schema: try buildSchema(source: reference)), "\(name) differs from the reference")
    }
}
