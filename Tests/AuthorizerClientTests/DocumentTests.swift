import AuthorizerClient
import Foundation
import GraphQL
import TestSupport
import Testing

/// Every document the client can send validates against the real schema of the version it is for.
@Suite struct DocumentTests {
    static func schema(_ file: String) throws -> GraphQLSchema {
        try buildSchema(source: Fixtures.authorizer(file))
    }

    @Test(arguments: [
        (AuthorizerVersion.v2, "schema-2.4.0.graphqls"), (.v2Paginated, "schema-2.3.0.graphqls"),
        (.v1, "schema-1.4.4.graphqls"),
    ])
    func everyDocumentValidatesAgainstItsVersionsSchema(_ version: AuthorizerVersion, _ file: String) throws {
        let schema = try Self.schema(file)
        #expect(AuthorizerDocuments.all.count >= 11)
        for (name, document) in AuthorizerDocuments.all.sorted(by: { $0.key < $1.key }) {
            let errors = validate(schema: schema, ast: try parse(source: version.document(document)))
            #expect(errors.isEmpty, "\(name) for \(version): \(errors.map(\.message))")
        }
    }

    /// The second-factor documents only 2.4 answers validate against 2.4.0's schema.
    @Test func theDocumentsOnly24AnswersValidateAgainstIt() throws {
        let schema = try Self.schema("schema-2.4.0.graphqls")
        #expect(AuthorizerDocuments.onlyV24.count == 2)
        for (name, document) in AuthorizerDocuments.onlyV24.sorted(by: { $0.key < $1.key }) {
            let errors = validate(schema: schema, ast: try parse(source: AuthorizerVersion.v2.document(document)))
            #expect(errors.isEmpty, "\(name): \(errors.map(\.message))")
        }
    }

    @Test func aDocumentForOneVersionFailsOnTheOther() throws {
        let v1 = try Self.schema("schema-1.4.4.graphqls")
        let errors = validate(
            schema: v1, ast: try parse(source: AuthorizerVersion.v2.document(AuthorizerDocuments.login)))
        #expect(!errors.isEmpty, "a 2.x document must not validate on 1.x, or the version test proves nothing")
        // 2.0-2.3 take `_users(params: PaginatedRequest)`: the 2.4 document fails there.
        let v23 = try Self.schema("schema-2.3.0.graphqls")
        #expect(
            !validate(schema: v23, ast: try parse(source: AuthorizerVersion.v2.document(AuthorizerDocuments.users)))
                .isEmpty)
    }

    @Test func versionsAreReadFromMeta() {
        #expect(AuthorizerVersion(metaVersion: "2.4.0") == .v2)
        #expect(AuthorizerVersion(metaVersion: "v1.4.4") == .v1)
        #expect(AuthorizerVersion(metaVersion: "2.4.0-local") == .v2)
        #expect(AuthorizerVersion(metaVersion: "nightly") == nil)
        #expect(AuthorizerVersion(metaVersion: "2.3.1") == .v2Paginated)
        #expect(AuthorizerVersion(metaVersion: "2.0.0") == .v2Paginated)
        #expect(AuthorizerVersion(metaVersion: "v2.10.0") == .v2)
        // What builds report, whatever their version (internal/constants/env.go, Makefile, Dockerfile).
        for unknown in ["latest", "0.1.0-local", "0.0.1"] { #expect(AuthorizerVersion(metaVersion: unknown) == nil) }
    }
}
