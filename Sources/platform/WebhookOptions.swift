import ArgumentParser
import AuthorizerClient
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Logging
import PlatformDB
import ServiceLifecycle

/// How webhook senders authenticate to `platform serve`. Each scheme has its own secret.
struct WebhookOptions: ParsableArguments {
    @Option(
        name: .customLong("webhook-authorizer-secret"),
        help:
            "Verify X-Authorizer-Signature (Authorizer 2.4) with this secret: Authorizer's client secret. Env: WEBHOOK_AUTHORIZER_SECRET"
    )
    var authorizerSecret: String?
    @Option(
        name: .customLong("webhook-signature-secret"),
        help: "Verify x-webhook-signature (hex HMAC-SHA256 of the body) with this secret. Env: WEBHOOK_SIGNATURE_SECRET"
    )
    var signatureSecret: String?
    @Option(
        name: .customLong("webhook-standard-secret"),
        help:
            "A Standard Webhooks whsec_ secret (repeatable, for key rotation). Env: WEBHOOK_STANDARD_SECRETS (comma-separated)"
    )
    var standardSecrets: [String] = []
    @Option(
        name: .customLong("webhook-static-header"),
        help: "'Name: value' of a static header Authorizer 1.x sends. Env: WEBHOOK_STATIC_HEADER")
    var staticHeader: String?
    @Flag(
        name: .customLong("insecure-webhooks"), help: "Accept webhooks without any authentication (development only).")
    var insecure = false

    func authentication() throws -> WebhookAuthentication {
        let environment = ProcessInfo.processInfo.environment
        var authentication = WebhookAuthentication()
        authentication.authorizerSecret = try secretSetting(
            authorizerSecret, flag: "--webhook-authorizer-secret", environment: "WEBHOOK_AUTHORIZER_SECRET")
        authentication.signatureSecret = try secretSetting(
            signatureSecret, flag: "--webhook-signature-secret", environment: "WEBHOOK_SIGNATURE_SECRET")
        // Each secret of the list is checked, an empty one (",,") included.
        let (standard, standardKey) =
            standardSecrets.isEmpty
            ? (
                (environment["WEBHOOK_STANDARD_SECRETS"]?.split(separator: ",", omittingEmptySubsequences: false).map(
                    String.init)) ?? [],
                "WEBHOOK_STANDARD_SECRETS"
            )
            : (standardSecrets, "--webhook-standard-secret")
        for secret in standard { try validated { try SecretSetting.checkStandard(secret, key: standardKey) } }
        authentication.standardWebhookSecrets = standard
        let headerKey = staticHeader == nil ? "WEBHOOK_STATIC_HEADER" : "--webhook-static-header"
        if let header = staticHeader ?? environment["WEBHOOK_STATIC_HEADER"] {
            let parts = header.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, HTTPField.Name(parts[0]) != nil else {
                throw ValidationError("\(headerKey): expected 'Name: value'")
            }
            try validated { try SecretSetting.check(parts[1], key: "\(headerKey) (its value)") }
            authentication.staticHeader = (parts[0], parts[1])
        }
        authentication.insecure = insecure
        return authentication
    }
}
