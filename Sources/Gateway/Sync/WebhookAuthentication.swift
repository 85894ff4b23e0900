import AuthorizerClient
import Crypto
import Foundation
import HTTPTypes

/// How webhook senders prove who they are; each scheme has its own secret, and any configured
/// scheme that matches admits the request. Checked on the raw bytes, before anything is parsed.
public struct WebhookAuthentication: Sendable {
    /// `X-Authorizer-Signature`: Authorizer 2.4, hex HMAC-SHA256 of the body with the client secret.
    public var authorizerSecret: String?
    /// During a rotation of Authorizer's client secret, the previous one. Authorizer sends each
    /// webhook once, so deliveries signed with either are accepted until the rotation is over.
    public var previousAuthorizerSecret: String?
    /// `x-webhook-signature`: the same HMAC in hex, optionally prefixed `sha256=` (a generic sender's header).
    public var signatureSecret: String?
    /// Standard Webhooks (`whsec_…` secrets; several during key rotation), for relays.
    public var standardWebhookSecrets: [String] = []
    /// A static header Authorizer 1.x is configured to send (it signs nothing).
    public var staticHeader: (name: String, value: String)?
    /// Accept unauthenticated deliveries; only with `--insecure-webhooks`.
    public var insecure = false
    /// Standard Webhooks' replay window.
    public var tolerance: TimeInterval = 300

    public init() {}

    /// Whether any scheme is configured (or insecure mode chosen explicitly).
    public var isConfigured: Bool {
        insecure || authorizerSecret != nil || signatureSecret != nil || !standardWebhookSecrets.isEmpty
            || staticHeader != nil
    }

    /// Why a delivery was refused, for the audit log and metrics.
    public enum Refusal: String, Error, Sendable {
        case unsigned, badSignature = "bad_signature", stale
    }

    /// Admits the delivery, or says why not. The dedupe key is the `webhook-id` when the sender gave one.
    public func authenticate(headers: HTTPFields, body: Data, now: Date = Date()) -> Result<String?, Refusal> {
        if insecure { return .success(headers[HTTPField.Name("webhook-id")!]) }
        var sawCredential = false
        if let secret = authorizerSecret, let signature = headers[HTTPField.Name("X-Authorizer-Signature")!] {
            sawCredential = true
            if WebhookSignature.isValid(signature, body: body, secret: secret) { return .success(nil) }
            if let previous = previousAuthorizerSecret,
                WebhookSignature.isValid(signature, body: body, secret: previous)
            {
                return .success(nil)
            }
        }
        if let secret = signatureSecret, let signature = headers[HTTPField.Name("x-webhook-signature")!] {
            sawCredential = true
            if WebhookSignature.isValid(signature, body: body, secret: secret) { return .success(nil) }
        }
        if !standardWebhookSecrets.isEmpty, let id = headers[HTTPField.Name("webhook-id")!],
            let timestamp = headers[HTTPField.Name("webhook-timestamp")!],
            let signatures = headers[HTTPField.Name("webhook-signature")!]
        {
            sawCredential = true
            guard let seconds = TimeInterval(timestamp), abs(now.timeIntervalSince1970 - seconds) <= tolerance else {
                return .failure(.stale)
            }
            if standardWebhookSecrets.contains(where: {
                Self.standardWebhookValid(id: id, timestamp: timestamp, body: body, signatures: signatures, secret: $0)
            }) {
                return .success(id)
            }
        }
        if let header = staticHeader, let given = headers[HTTPField.Name(header.name)!] {
            sawCredential = true
            if SHA256.hash(data: Data(given.utf8)) == SHA256.hash(data: Data(header.value.utf8)) {
                return .success(nil)
            }
        }
        return .failure(sawCredential ? .badSignature : .unsigned)
    }

    /// Standard Webhooks: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, space-separated, keyed
    /// with the base64 part of `whsec_<base64>`.
    static func standardWebhookValid(id: String, timestamp: String, body: Data, signatures: String, secret: String)
        -> Bool
    {
        let encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
        guard let keyData = Data(base64Encoded: encoded) else { return false }
        var message = Data("\(id).\(timestamp).".utf8)
        message.append(body)
        let key = SymmetricKey(data: keyData)
        for entry in signatures.split(separator: " ") {
            let parts = entry.split(separator: ",", maxSplits: 1)
            guard parts.count == 2, parts[0] == "v1", let given = Data(base64Encoded: String(parts[1])) else {
                continue
            }
            if HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: message, using: key) { return true }
        }
        return false
    }
}

extension WebhookAuthentication: CustomStringConvertible {
    /// The schemes configured, never their secrets.
    public var description: String {
        var schemes: [String] = []
        if authorizerSecret != nil {
            schemes.append(
                previousAuthorizerSecret == nil ? "x-authorizer-signature" : "x-authorizer-signature(2 keys)")
        }
        if signatureSecret != nil { schemes.append("x-webhook-signature") }
        if !standardWebhookSecrets.isEmpty { schemes.append("standard-webhooks(\(standardWebhookSecrets.count) keys)") }
        if staticHeader != nil { schemes.append("static-header") }
        if insecure { schemes.append("insecure") }
        return "WebhookAuthentication(\(schemes.joined(separator: ", ")))"
    }
}
