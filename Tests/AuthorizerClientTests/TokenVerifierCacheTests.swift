import AuthorizerClient
import Foundation
import JWTKit
import Testing

/// The verified-token cache skips the signature of a token seen before, never the checks that
/// depend on time, and never keeps a token that failed.
@Suite struct TokenVerifierCacheTests {
    struct Claims: JWTPayload {
        var sub: String
        var iss: String
        var aud: String
        var exp: Int
        var iat: Int
        var token_type: String
        func verify(using algorithm: some JWTAlgorithm) throws {}
    }

    static let secret = "cache-test-secret-0123456789abcdef"

    static func token(expiresIn seconds: Int, now: Date, secret: String = secret) async throws -> String {
        let issued = Int(now.timeIntervalSince1970)
        let signer = await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        return try await signer.sign(
            Claims(
                sub: "u1", iss: "http://authorizer.test", aud: "client", exp: issued + seconds, iat: issued,
                token_type: "access_token"))
    }

    @Test func aCachedTokenIsStillRefusedOnceExpired() async throws {
        let verifier = await TokenVerifier(
            keys: .hmac(secret: Self.secret), issuer: "http://authorizer.test", audience: "client")
        let now = Date()
        let token = try await Self.token(expiresIn: 60, now: now)
        #expect(try await verifier.verify(token, now: now).subject == "u1")
        #expect(verifier.cachedTokenCount == 1)
        #expect(try await verifier.verify(token, now: now).subject == "u1")
        #expect(verifier.cachedTokenCount == 1)
        await #expect(throws: TokenRejection.expired) {
            try await verifier.verify(token, now: now.addingTimeInterval(3600))
        }
    }

    @Test func refusedTokensAreNotCached() async throws {
        let verifier = await TokenVerifier(
            keys: .hmac(secret: Self.secret), issuer: "http://authorizer.test", audience: "client")
        let now = Date()
        let forged = try await Self.token(expiresIn: 60, now: now, secret: "another-secret-0123456789abcdefghij")
        await #expect(throws: TokenRejection.badSignature) { try await verifier.verify(forged, now: now) }
        await #expect(throws: TokenRejection.badSignature) { try await verifier.verify(forged, now: now) }
        let expired = try await Self.token(expiresIn: -120, now: now)
        await #expect(throws: TokenRejection.expired) { try await verifier.verify(expired, now: now) }
        #expect(verifier.cachedTokenCount == 0)
    }

    @Test func theCacheIsBounded() async throws {
        let verifier = await TokenVerifier(
            keys: .hmac(secret: Self.secret), issuer: "http://authorizer.test", audience: "client", cacheCapacity: 3)
        let now = Date()
        for offset in 0..<10 {
            _ = try await verifier.verify(try await Self.token(expiresIn: 60 + offset, now: now), now: now)
        }
        #expect(verifier.cachedTokenCount <= 3)
    }
}
