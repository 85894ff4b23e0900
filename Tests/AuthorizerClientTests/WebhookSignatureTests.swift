import AuthorizerClient
import Foundation
import Testing

@Suite struct WebhookSignatureTests {
    static let body = Data(
        #"{"event_description":"user login","event_name":"user.login","user":{"email":"a@b.test","id":"u1"},"webhook_id":"w1"}"#
            .utf8)
    static let secret = "client-secret-123"
    /// Computed independently with Python's hmac module.
    static let expected = "74bee2ad1fb1d1146713ba8d3fc4248686d8756854d28a82d05783f66ab66e59"

    @Test func signsLikeAuthorizer() {
        #expect(WebhookSignature.sign(Self.body, secret: Self.secret) == Self.expected)
    }

    @Test(arguments: [expected, expected.uppercased(), "sha256=" + expected, "SHA256=" + expected])
    func acceptsTheRightSignature(_ signature: String) {
        #expect(WebhookSignature.isValid(signature, body: Self.body, secret: Self.secret))
    }

    @Test func refusesAWrongSecretATamperedBodyAndMalformedSignatures() {
        #expect(!WebhookSignature.isValid(Self.expected, body: Self.body, secret: "other-secret"))
        var tampered = Self.body
        tampered[tampered.count - 3] ^= 0x01
        #expect(!WebhookSignature.isValid(Self.expected, body: tampered, secret: Self.secret))
        for bad in ["", "zz", String(Self.expected.dropLast(2)), Self.expected + "00", "sha1=" + Self.expected] {
            #expect(!WebhookSignature.isValid(bad, body: Self.body, secret: Self.secret), "accepted \(bad)")
        }
    }
}
