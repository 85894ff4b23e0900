import AuthorizerClient

/// 1.x documents name their inputs `…Input`; 2.x renamed them `…Request`. Rewriting the names
/// before validation lets 1.x clients work unchanged (1.x names its inputs `*Input`, 2.x `*Request`).
enum LegacyInputNames {
    /// `document` with every 1.x input name, as a whole word, replaced by its 2.x name.
    static func translate(_ document: String) -> String {
        guard document.contains("Input") else { return document }
        return AuthorizerVersion.rename(document, using: AuthorizerVersion.inputRenames)
    }
}
