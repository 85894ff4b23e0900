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
        name: .customLong("webhook-authorizer-previous-secret"),
        help:
            "During a rotation of Authorizer's client secret, the previous one: deliveries signed with either are accepted. Env: WEBHOOK_AUTHORIZER_PREVIOUS_SECRET"
    )
    var authorizerPreviousSecret: String?
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
        name: .customLong("insecure-webhooks"),
        help: "Accept webhooks without any authentication (development only; refused beside a webhook secret).")
    var insecure = false

    /// These options as given on the command line.
    var flags: [Setting: [String]?] {
        [
            .webhookAuthorizerSecret: authorizerSecret.map { [$0] },
            .webhookAuthorizerPreviousSecret: authorizerPreviousSecret.map { [$0] },
            .webhookSignatureSecret: signatureSecret.map { [$0] },
            .webhookStandardSecrets: standardSecrets, .webhookStaticHeader: staticHeader.map { [$0] },
        ]
    }

    /// How webhook senders authenticate, from `settings`.
    func authentication(from settings: SettingsReader) throws -> WebhookAuthentication {
        var authentication = WebhookAuthentication()
        authentication.authorizerSecret = try settings.secret(.webhookAuthorizerSecret)
        authentication.previousAuthorizerSecret = try settings.secret(.webhookAuthorizerPreviousSecret)
        if authentication.previousAuthorizerSecret != nil, authentication.authorizerSecret == nil {
            throw ValidationError(
                "\(settings.source(.webhookAuthorizerPreviousSecret)): given without the current secret (--webhook-authorizer-secret)"
            )
        }
        authentication.signatureSecret = try settings.secret(.webhookSignatureSecret)
        // Each secret of the list is checked, an empty one (",,") included.
        let standard = settings.list(.webhookStandardSecrets)
        let standardKey = settings.source(.webhookStandardSecrets)
        for secret in standard { try validated { try SecretSetting.checkStandard(secret, key: standardKey) } }
        authentication.standardWebhookSecrets = standard
        if let header = settings.text(.webhookStaticHeader) {
            let headerKey = settings.source(.webhookStaticHeader)
            let parts = header.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, HTTPField.Name(parts[0]) != nil else {
                throw ValidationError("\(headerKey): expected 'Name: value'")
            }
            try validated { try SecretSetting.check(parts[1], key: "\(headerKey) (its value)") }
            authentication.staticHeader = (parts[0], parts[1])
        }
        if insecure {
            // A secret beside it would be ignored: every delivery would be accepted unchecked.
            let secrets: [Setting] = [
                .webhookAuthorizerSecret, .webhookAuthorizerPreviousSecret, .webhookSignatureSecret,
                .webhookStandardSecrets, .webhookStaticHeader,
            ]
            if let given = secrets.first(where: { $0.isList ? !settings.list($0).isEmpty : settings.text($0) != nil }) {
                throw ValidationError(
                    "--insecure-webhooks: given with \(settings.source(given)), which it would turn off; remove one of them"
                )
            }
        }
        authentication.insecure = insecure
        return authentication
    }
}
