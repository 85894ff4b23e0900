import Crypto
import Foundation
import JWTKit

/// Verifies Authorizer's access tokens in-process, following RFC 8725: an algorithm allow-list
/// (never `none`, never HMAC when the keys are asymmetric), the issuer, the audience, the token
/// type, and `exp`, `iat` and `nbf` with a bounded leeway.
public struct TokenVerifier: Sendable {
    /// Where the verification keys come from.
    public enum Keys: Sendable {
        /// Authorizer's `--jwt-secret` (HS256, HS384 or HS512): the current one, and during a
        /// rotation the previous one too; a token signed with any of them is accepted.
        case hmac(secrets: [String])
        /// Authorizer's published keys (RS256/384/512, ES256/384/512).
        case jwks(JWKSCache)

        /// One HMAC secret.
        public static func hmac(secret: String) -> Keys { .hmac(secrets: [secret]) }
    }

    public let keys: Keys
    public let issuer: String
    public let audience: String
    public let leeway: TimeInterval

    /// Tokens whose signature was checked already (RS256 costs ~25 µs a token, and the claims' JSON
    /// as much again).
    private let verified: VerifiedTokenCache

    public init(keys: Keys, issuer: String, audience: String, leeway: TimeInterval = 30, cacheCapacity: Int = 10_000)
        async
    {
        self.keys = keys
        self.verified = VerifiedTokenCache(capacity: cacheCapacity)
        var issuer = issuer
        while issuer.hasSuffix("/") { issuer.removeLast() }
        self.issuer = issuer
        self.audience = audience
        self.leeway = min(leeway, 30)
    }

    static let asymmetric: Set<String> = [
        "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512",
    ]

    public func verify(_ token: String, now: Date = Date()) async throws(TokenRejection) -> VerifiedToken {
        guard token.utf8.count <= 16 * 1024 else { throw .malformed }
        let key = VerifiedTokenCache.key(token)
        if let claims = verified.claims(for: key) { return try check(claims, now: now) }
        let claims = try await verifySignature(token)
        let checked = try check(claims, now: now)
        verified.insert(claims, for: key, now: now)
        return checked
    }

    /// How many verified tokens are cached (tests).
    public var cachedTokenCount: Int { verified.count }

    /// The header and claims of `token`, unverified: three base64url parts, JSON objects, no
    /// member named twice (``JSONMembers``). Remote mode reads tokens with this too.
    public static func parts(_ token: String) throws(TokenRejection) -> (
        header: [String: JSONValue], claims: [String: JSONValue]
    ) {
        guard token.utf8.count <= 16 * 1024 else { throw .malformed }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[2].isEmpty,
            let headerData = HMACJWT.base64URLDecoded(parts[0]), let payloadData = HMACJWT.base64URLDecoded(parts[1]),
            JSONMembers.hasDuplicateNames(headerData) == false, JSONMembers.hasDuplicateNames(payloadData) == false,
            let header = try? JSONDecoder().decode([String: JSONValue].self, from: headerData),
            let claims = try? JSONDecoder().decode([String: JSONValue].self, from: payloadData)
        else { throw .malformed }
        return (header, claims)
    }

    /// The claims of `token` once its signature holds under the allowed algorithms and keys.
    private func verifySignature(_ token: String) async throws(TokenRejection) -> [String: JSONValue] {
        let (header, payload) = try Self.parts(token)
        guard let algorithm = header["alg"]?.string else { throw .malformed }

        let claims: [String: JSONValue]
        switch keys {
        case .hmac(let secrets):
            // Authorizer's --jwt-type may be any of HS256/384/512 with the shared secret; nothing
            // else, so a public key can never be used as an HMAC secret (RFC 8725 §3.1).
            guard HMACJWT.algorithms.contains(algorithm) else { throw .algorithmNotAllowed }
            guard secrets.contains(where: { HMACJWT.isValid(token, algorithm: algorithm, secret: $0) }) else {
                throw .badSignature
            }
            claims = payload
        case .jwks(let cache):
            guard Self.asymmetric.contains(algorithm) else { throw .algorithmNotAllowed }
            if let verified = await Self.verify(token, algorithm: algorithm, with: await cache.current()) {
                claims = verified
            } else if await cache.refresh() {
                // A key we did not know yet (rotation at Authorizer): one refetch, shared and
                // rate-limited. A key may also have gone, so tokens are verified afresh.
                self.verified.removeAll()
                guard let verified = await Self.verify(token, algorithm: algorithm, with: await cache.current()) else {
                    throw .badSignature
                }
                claims = verified
            } else {
                throw await cache.isLoaded ? .badSignature : .keysUnavailable
            }
        }
        return claims
    }

    /// Tries every key of `algorithm`: Authorizer's tokens say nothing about which key signed them.
    private static func verify(_ token: String, algorithm: String, with keys: [JWKSCache.Key]) async -> [String:
        JSONValue]?
    {
        for key in keys where key.algorithm == algorithm {
            if let verified = try? await key.verifier.verify(token, as: AnyClaims.self) { return verified.values }
        }
        return nil
    }

    /// The claim checks every mode applies (RFC 7519 §4.1, RFC 8725 §3.11): `exp`, `nbf` and
    /// `iat` within the leeway, the issuer, the audience, and `token_type = access_token`, which
    /// Authorizer's own `validate_jwt_token` does not compare (`service/validate_jwt_token.go`).
    public func check(_ claims: [String: JSONValue], now: Date = Date()) throws(TokenRejection) -> VerifiedToken {
        let nowSeconds = now.timeIntervalSince1970
        guard let exp = claims["exp"]?.number else { throw .malformed }
        guard exp + leeway > nowSeconds else { throw .expired }
        if let nbf = claims["nbf"]?.number, nbf - leeway > nowSeconds { throw .notYetValid }
        if let iat = claims["iat"]?.number, iat - leeway > nowSeconds { throw .notYetValid }
        guard claims["iss"]?.string.map(Self.trimmed) == issuer else { throw .wrongIssuer }
        let audiences = claims["aud"]?.string.map { [$0] } ?? claims["aud"]?.array?.compactMap(\.string) ?? []
        guard audiences.contains(audience) else { throw .wrongAudience }
        guard claims["token_type"]?.string == "access_token" else { throw .wrongTokenType }
        return try VerifiedToken(claims: claims)
    }

    private static func trimmed(_ text: String) -> String {
        var text = text
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    /// Any claims; jwt-kit checks only the signature here, the claims are checked above.
    struct AnyClaims: JWTPayload {
        var values: [String: JSONValue]
        init(from decoder: any Decoder) throws {
            values = try decoder.singleValueContainer().decode([String: JSONValue].self)
        }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(values)
        }
        func verify(using algorithm: some JWTAlgorithm) throws {}
    }
}
