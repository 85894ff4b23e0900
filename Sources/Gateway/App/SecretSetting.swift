import Foundation

/// The rule every secret setting obeys, at start: not empty, not only whitespace, and at least
/// its documented minimum (docs/configuration.md). An empty webhook secret once passed
/// the "no webhook authentication" guard and made the empty string a signing key anyone could use.
public enum SecretSetting {
    /// HMAC keys (webhook signatures) and admin secrets: 16 bytes, 128 bits. Authorizer's client
    /// secret, which signs its webhooks, is a 36-character UUID.
    public static let minimumBytes = 16
    /// A Standard Webhooks key after `whsec_` and base64: 24 to 64 bytes (the Standard Webhooks
    /// specification, "Signature scheme").
    public static let standardKeyBytes = 24...64
    /// An HS256 JWT secret should have 32 bytes, the size of the hash (RFC 7518 §3.2). It is
    /// Authorizer's secret, not ours, and Authorizer takes any non-empty one
    /// (`internal/token/provider.go`), so a shorter one starts with a warning, not a refusal.
    public static let jwtRecommendedBytes = 32

    /// The start-up warning for a JWT secret under ``jwtRecommendedBytes``.
    public static func shortJWTSecretWarning(key: String) -> String {
        "\(key) is shorter than \(jwtRecommendedBytes) bytes (RFC 7518 §3.2); it is Authorizer's --jwt-secret, so it is used, but anyone who guesses it can mint tokens: give Authorizer a longer one"
    }

    /// `value`, or an error naming `key` (the flag or environment variable it came from).
    @discardableResult
    public static func check(_ value: String, key: String, minimumBytes: Int = minimumBytes) throws -> String {
        if value.isEmpty { throw GatewayConfigurationError("\(key) is empty; a secret is required") }
        if value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw GatewayConfigurationError("\(key) is only whitespace; a secret is required")
        }
        if value.utf8.count < minimumBytes {
            throw GatewayConfigurationError("\(key) is shorter than \(minimumBytes) bytes")
        }
        return value
    }

    /// A Standard Webhooks secret, `whsec_<base64>` (or the bare base64), checked as a key.
    @discardableResult
    public static func checkStandard(_ value: String, key: String) throws -> String {
        try check(value, key: key, minimumBytes: 1)
        let encoded = value.hasPrefix("whsec_") ? String(value.dropFirst(6)) : value
        guard let key64 = Data(base64Encoded: encoded) else {
            throw GatewayConfigurationError("\(key): a secret is not whsec_<base64>")
        }
        guard standardKeyBytes.contains(key64.count) else {
            throw GatewayConfigurationError(
                "\(key): a key of \(key64.count) bytes; Standard Webhooks keys are \(standardKeyBytes.lowerBound)-\(standardKeyBytes.upperBound) bytes"
            )
        }
        return value
    }
}

extension GatewayConfiguration {
    /// Every secret of the configuration, checked by ``SecretSetting`` (keys named by their flags).
    public func checkSecrets() throws {
        if let secret = webhooks.authorizerSecret {
            try SecretSetting.check(secret, key: "--webhook-authorizer-secret")
        }
        if let secret = webhooks.signatureSecret { try SecretSetting.check(secret, key: "--webhook-signature-secret") }
        for secret in webhooks.standardWebhookSecrets {
            try SecretSetting.checkStandard(secret, key: "--webhook-standard-secret")
        }
        if let header = webhooks.staticHeader { try SecretSetting.check(header.value, key: "--webhook-static-header") }
        if let secret = authorizer?.adminSecret { try SecretSetting.check(secret, key: "--authorizer-admin-secret") }
        if let secret = authorizer?.jwtSecret {
            try SecretSetting.check(secret, key: "--authorizer-jwt-secret", minimumBytes: 1)
        }
    }
}
