import AuthorizerClient
import Foundation
import Testing

/// Rotating Authorizer's HS* secret: during the overlap the verifier holds the new secret and the
/// previous one, and accepts a token signed with either; a token signed with any other is refused.
@Suite struct SecretRotationTests {
    @Test func tokensOfTheCurrentAndThePreviousSecretAreAcceptedDuringARotation() async throws {
        let (current, previous) = ("current-secret-0123456789abcdefghij", "previous-secret-0123456789abcdefghi")
        let verifier = await TokenVerifier(
            keys: .hmac(secrets: [current, previous]), issuer: "http://authorizer.test", audience: "client")
        let now = Date()
        for secret in [current, previous] {
            let token = try await TokenVerifierCacheTests.token(expiresIn: 60, now: now, secret: secret)
            #expect(try await verifier.verify(token, now: now).subject == "u1")
        }
        let stranger = try await TokenVerifierCacheTests.token(
            expiresIn: 60, now: now, secret: "another-secret-0123456789abcdefghij")
        await #expect(throws: TokenRejection.badSignature) { try await verifier.verify(stranger, now: now) }
        // Once the rotation is over, the previous secret's tokens are refused.
        let after = await TokenVerifier(
            keys: .hmac(secret: current), issuer: "http://authorizer.test", audience: "client")
        let old = try await TokenVerifierCacheTests.token(expiresIn: 60, now: now, secret: previous)
        await #expect(throws: TokenRejection.badSignature) { try await after.verify(old, now: now) }
    }
}
