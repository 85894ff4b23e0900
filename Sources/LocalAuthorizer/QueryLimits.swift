import GraphQL

/// Authorizer 2.4's limits on one GraphQL operation (`internal/http_handlers/graphql.go`,
/// `queryLimits`), checked after validation in the order depth, aliases, complexity; only the
/// first one broken is reported. Flags `--graphql-max-depth` (15), `--graphql-max-aliases` (30),
/// `--graphql-max-complexity` (300).
struct QueryLimits: Sendable {
    var maxDepth = 15
    var maxAliases = 30
    var maxComplexity = 300

    /// The message Authorizer answers for the first limit `operation` breaks, or nil.
    func violation(in document: Document, operationName: String?) -> String? {
        guard let operation = Self.operation(in: document, named: operationName) else { return nil }
        var fragments: [String: FragmentDefinition] = [:]
        for case let fragment as FragmentDefinition in document.definitions {
            fragments[fragment.name.value] = fragment
        }
        let walk = Walk(fragments: fragments)
        let depth = walk.depth(operation.selectionSet)
        if depth > maxDepth { return "query depth \(depth) exceeds maximum allowed depth \(maxDepth)" }
        let aliases = walk.aliases(operation.selectionSet)
        if aliases > maxAliases { return "query uses \(aliases) aliases, exceeds maximum \(maxAliases)" }
        let complexity = walk.complexity(operation.selectionSet)
        if complexity > maxComplexity {
            return "operation has complexity \(complexity), which exceeds the limit of \(maxComplexity)"
        }
        return nil
    }

    /// The operation a request runs: the one named, or the only one.
    static func operation(in document: Document, named name: String?) -> OperationDefinition? {
        let operations = document.definitions.compactMap { $0 as? OperationDefinition }
        if let name { return operations.first { $0.name?.value == name } }
        return operations.count == 1 ? operations[0] : nil
    }

    /// The three counts over a selection set. A fragment is counted where it is spread, from a
    /// memo, so that fragments spreading fragments cannot make the walk exponential; counts
    /// saturate instead of overflowing. Validation has already refused fragment cycles.
    private final class Walk {
        let fragments: [String: FragmentDefinition]
        private var memo: [Measure: [String: Int]] = [:]

        init(fragments: [String: FragmentDefinition]) { self.fragments = fragments }

        private enum Measure: Hashable { case depth, aliases, complexity }

        private func fragment(_ name: String, _ measure: Measure) -> Int {
            if let known = memo[measure]?[name] { return known }
            memo[measure, default: [:]][name] = 0  // a cycle (refused by validation) counts nothing
            let value = count(fragments[name]?.selectionSet, measure)
            memo[measure, default: [:]][name] = value
            return value
        }

        private func count(_ set: SelectionSet?, _ measure: Measure) -> Int {
            guard let set else { return 0 }
            var total = 0
            for selection in set.selections {
                let value: Int
                switch selection {
                case let field as Field:
                    let inner = count(field.selectionSet, measure)
                    switch measure {
                    // Each field is one level; fragments add none.
                    case .depth: value = inner.saturatingAdd(1)
                    // Fields whose alias differs from their name.
                    case .aliases:
                        value = inner.saturatingAdd((field.alias.map { $0.value != field.name.value } ?? false) ? 1 : 0)
                    // gqlgen's default: one plus the children; `__schema` costs nothing.
                    case .complexity: value = field.name.value == "__schema" ? 0 : inner.saturatingAdd(1)
                    }
                case let inline as InlineFragment: value = count(inline.selectionSet, measure)
                case let spread as FragmentSpread: value = fragment(spread.name.value, measure)
                default: value = 0
                }
                total = measure == .depth ? max(total, value) : total.saturatingAdd(value)
            }
            return total
        }

        func depth(_ set: SelectionSet) -> Int { count(set, .depth) }
        func aliases(_ set: SelectionSet) -> Int { count(set, .aliases) }
        func complexity(_ set: SelectionSet) -> Int { count(set, .complexity) }
    }
}

extension Int {
    fileprivate func saturatingAdd(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}
