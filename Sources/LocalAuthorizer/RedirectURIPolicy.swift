import Foundation

/// Which redirect URIs a reset or magic link may carry (`internal/validators/url.go`,
/// `IsValidRedirectURI`): http or https only; with `--allowed-origins` `*` (the default) only
/// the server's own host and port; otherwise an allowed origin, compared as host[:port] with
/// ports 80 and 443 dropped, where `*` matches one label (`*.example.com`: subdomains only).
enum RedirectURIPolicy {
    static func isValid(_ uri: String, allowedOrigins: [String], serverURL: String) -> Bool {
        guard let scheme = URLComponents(string: uri)?.scheme?.lowercased(), scheme == "http" || scheme == "https"
        else { return false }
        let candidate = normalized(uri)
        let origins = allowedOrigins.isEmpty ? ["*"] : allowedOrigins
        if origins == ["*"] { return candidate == normalized(serverURL) }
        return origins.contains { matches($0, candidate) }
    }

    /// host[:port], the port left out when absent, 80 or 443.
    static func normalized(_ raw: String) -> String {
        var text = raw.trimmingCharacters(in: .whitespaces)
        if !text.hasPrefix("http://"), !text.hasPrefix("https://") { text = "https://" + text }
        guard let parts = URLComponents(string: text), let host = parts.host else { return raw }
        guard let port = parts.port, port != 80, port != 443 else { return host }
        return "\(host):\(port)"
    }

    static func matches(_ configured: String, _ candidate: String) -> Bool {
        let pattern = normalized(configured)
        guard pattern.contains("*") else { return pattern == candidate }
        if pattern.hasPrefix("*.") {
            let rest = pattern.dropFirst(2)
            return candidate.hasSuffix("." + rest) && candidate.count > rest.count + 1
        }
        let pieces = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        guard let first = pieces.first, let last = pieces.last, candidate.hasPrefix(first), candidate.hasSuffix(last)
        else { return false }
        let middle = candidate.dropFirst(first.count).dropLast(last.count)
        return pieces.count == 2 && !middle.contains(".")
    }
}
