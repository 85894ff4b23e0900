import Foundation
import GraphQL
import TestSupport
import Testing

@testable import LocalAuthorizer

/// The served schema is Authorizer 2.4.0's whole schema (`internal/graph/schema.graphqls` at tag
/// 2.4.0), and what the twin does not implement answers as the real server does with that
/// feature off, never "Cannot query field".
@Suite struct SchemaTests {
    /// The standard introspection query, as graphql-js's `getIntrospectionQuery()` writes it.
    static func introspectionQuery() throws -> String { try Fixtures.text("graphql/introspection-query.graphql") }

    /// The standard introspection query over HTTP, compared with the same query run on the
    /// fixture of Authorizer 2.4.0's schema: every type, field, argument, input field, enum value
    /// and directive, both ways.
    @Test func theServedIntrospectionIsAuthorizer240sSchemaBothWays() async throws {
        let query = try Self.introspectionQuery()
        let reference = try buildSchema(source: Fixtures.authorizer("schema-2.4.0.graphqls"))
        let expected = try await graphql(schema: reference, request: query)
        #expect(expected.errors.isEmpty)
        let expectedJSON = JSON(parsing: String(decoding: try JSONEncoder().encode(expected), as: UTF8.self))
        let want = Self.facts(expectedJSON["data"]["__schema"])
        #expect(want.count > 1_000)

        try await Harness.with { h in
            let reply = try await h.graphql(query)
            #expect(reply.status == .ok, "\(reply.text.prefix(300))")
            #expect(reply.json["errors"].isNull, "\(reply.json["errors"])")
            let served = Self.facts(reply.json["data"]["__schema"])
            let missing = want.subtracting(served).sorted()
            let extra = served.subtracting(want).sorted()
            #expect(missing.isEmpty, "served without: \(missing.prefix(20))")
            #expect(extra.isEmpty, "served beyond 2.4.0: \(extra.prefix(20))")
        }
    }

    /// Every root field is either resolved by the twin or has its switched-off answer listed.
    @Test func everyRootFieldIsImplementedOrAnswersAsSwitchedOff() throws {
        let schema = try buildSchema(source: AuthorizerSchema.sdl)
        let roots = try [schema.queryType, schema.mutationType].compactMap { $0 }.flatMap { try $0.fields().keys }
        let implemented = Resolvers.implemented
        let unlisted = roots.filter { !implemented.contains($0) && !DisabledFeatures.listed.contains($0) }
        #expect(unlisted.isEmpty, "\(unlisted.sorted())")
        let stale = DisabledFeatures.listed.union(implemented).subtracting(roots)
        #expect(stale.isEmpty, "\(stale.sorted())")
    }

    /// One line per fact of an introspected schema: "type KIND Name", "field T.f(a: T = d): R
    /// deprecated?", "input T.f: R = d", "enum T.V", "implements T I", "possible T X",
    /// "directive @d(a: T) on L", "root query Q".
    static func facts(_ schema: JSON) -> Set<String> {
        func ref(_ type: JSON) -> String {
            switch type["kind"].string {
            case "NON_NULL": return ref(type["ofType"]) + "!"
            case "LIST": return "[" + ref(type["ofType"]) + "]"
            default: return type["name"].string ?? "?"
            }
        }
        func inputs(_ values: JSON) -> String {
            values.array.map { "\($0["name"].string ?? ""): \(ref($0["type"])) = \($0["defaultValue"])" }
                .sorted().joined(separator: ", ")
        }
        var facts: Set<String> = []
        for root in ["queryType", "mutationType", "subscriptionType"] {
            facts.insert("root \(root) \(schema[root]["name"])")
        }
        for type in schema["types"].array {
            let name = type["name"].string ?? ""
            guard !name.hasPrefix("__") else { continue }
            facts.insert("type \(type["kind"]) \(name)")
            for field in type["fields"].array {
                facts.insert(
                    "field \(name).\(field["name"])(\(inputs(field["args"]))): \(ref(field["type"])) deprecated \(field["isDeprecated"]) \(field["deprecationReason"])"
                )
            }
            for field in type["inputFields"].array {
                facts.insert("input \(name).\(field["name"]): \(ref(field["type"])) = \(field["defaultValue"])")
            }
            for value in type["enumValues"].array {
                facts.insert("enum \(name).\(value["name"]) \(value["isDeprecated"])")
            }
            for interface in type["interfaces"].array { facts.insert("implements \(name) \(ref(interface))") }
            for possible in type["possibleTypes"].array { facts.insert("possible \(name) \(ref(possible))") }
        }
        for directive in schema["directives"].array {
            let locations = directive["locations"].array.compactMap(\.string).sorted().joined(separator: " ")
            facts.insert("directive @\(directive["name"])(\(inputs(directive["args"]))) on \(locations)")
        }
        return facts
    }
}

/// Authorizer 2.4's query limits (`internal/http_handlers/graphql.go`, `queryLimits`; flags in
/// `cmd/root.go`): checked after validation, answered HTTP 200 with no code, first broken first.
@Suite struct QueryLimitTests {
    /// `__type` with `ofType` nested `levels` times, each level selecting 30 distinct fields.
    static func typeChain(_ levels: Int) -> String {
        let level = """
            kind name description
            fields(includeDeprecated: true) { name description isDeprecated deprecationReason args { name description defaultValue } }
            enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
            inputFields { name description defaultValue } interfaces { name kind description }
            possibleTypes { name kind description }
            """
        var body = level
        for _ in 0..<levels { body = level + " ofType { " + body + " }" }
        return #"{ __type(name: "User") { "# + body + " } }"
    }

    @Test func depthAliasesAndComplexityAreLimitedAsAuthorizerLimitsThem() async throws {
        try await Harness.with { h in
            // depth: __type, n × ofType, name → n + 2.
            func chain(_ n: Int) -> String {
                #"{ __type(name: "User") { "# + String(repeating: "ofType { ", count: n) + "name"
                    + String(repeating: " }", count: n) + " } }"
            }
            let atLimit = try await h.graphql(chain(13))
            #expect(atLimit.json["errors"].isNull, "\(atLimit.text.prefix(300))")
            let tooDeep = try await h.graphql(chain(14))
            #expect(tooDeep.status == .ok)
            #expect(tooDeep.json["errors"][0]["message"].string == "query depth 16 exceeds maximum allowed depth 15")
            #expect(tooDeep.json["errors"][0]["extensions"].isNull)

            let thirtyOne = "{ " + (0...30).map { "a\($0): meta { version }" }.joined(separator: " ") + " }"
            let tooManyAliases = try await h.graphql(thirtyOne)
            #expect(tooManyAliases.status == .ok)
            #expect(tooManyAliases.json["errors"][0]["message"].string == "query uses 31 aliases, exceeds maximum 30")
            let thirty = "{ " + (0...29).map { "a\($0): meta { version }" }.joined(separator: " ") + " }"
            #expect(try await h.graphql(thirty).json["errors"].isNull)

            let complex = try await h.graphql(Self.typeChain(11))
            #expect(complex.status == .ok)
            #expect(
                complex.json["errors"][0]["message"].string?.hasPrefix("operation has complexity ") == true,
                "\(complex.text.prefix(300))")
            #expect(complex.json["errors"][0]["message"].string?.hasSuffix("which exceeds the limit of 300") == true)
            // __schema costs nothing: the standard introspection query passes (see SchemaTests).
        }
    }

    @Test func theLimitsAndIntrospectionFollowTheirFlags() async throws {
        try await Harness.with(configure: {
            $0.graphqlMaxDepth = 3
            $0.graphqlMaxAliases = 1
            $0.enableGraphQLIntrospection = false
        }) { h in
            let deep = try await h.graphql(#"{ __type(name: "User") { ofType { ofType { name } } } }"#)
            #expect(deep.json["errors"][0]["message"].string == "query depth 4 exceeds maximum allowed depth 3")
            let aliases = try await h.graphql("{ a: meta { version } b: meta { version } }")
            #expect(aliases.json["errors"][0]["message"].string == "query uses 2 aliases, exceeds maximum 1")
            let introspection = try await h.graphql("{ __schema { queryType { name } } }")
            #expect(introspection.status == .ok)
            #expect(introspection.json["errors"][0]["message"].string == "introspection disabled")
            #expect(introspection.json["errors"][0]["path"][0].string == "__schema")
            #expect(introspection.json["data"]["__schema"].isNull)
            #expect(try await h.graphql("{ meta { version } }").json["data"]["meta"]["version"].string != nil)
        }
    }

    /// Fragments that spread fragments twice, twenty deep, are counted from a memo: the answer
    /// comes at once and is a limit, not a hang.
    @Test func nestedFragmentSpreadsAreCountedWithoutBlowingUp() async throws {
        try await Harness.with { h in
            var document = "{ meta { ...F0 } }\nfragment F20 on Meta { version }\n"
            for level in (0..<20).reversed() {
                document += "fragment F\(level) on Meta { ...F\(level + 1) ...F\(level + 1) }\n"
            }
            let reply = try await h.graphql(document)
            #expect(reply.status == .ok)
            #expect(
                reply.json["errors"][0]["message"].string?.hasPrefix("operation has complexity") == true,
                Comment(rawValue: String(reply.text.prefix(600))))
        }
    }
}
