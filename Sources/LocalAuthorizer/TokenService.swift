import AuthorizerClient
import Crypto
import CryptoExtras
import Foundation
import JWTKit

/// Signs and checks this server's JWTs, and publishes the matching JWKS.
struct TokenService: Sendable {
    let algorithm: AuthorizerConfiguration.JWTType
    private let keys: JWTKeyCollection
    /// The HS* secret, signed and checked with ``HMACJWT`` (any non-empty secret, as Authorizer).
    private var hmacSecret: String?
    /// Earlier keys (``AuthorizerConfiguration/jwtPreviousPublicKeys``): verification only.
    private let previousKeys: [JWTKeyCollection]
    /// The body of `/.well-known/jwks.json`; no keys for HS256, as Authorizer.
    let jwksJSON: Data

    enum TokenError: Error {
        case malformed(segments: Int)
        case wrongAlgorithm(String)
        case badSignature
    }

    /// The JWT library's words for a refusal, as `validate_jwt_token` reports them
    /// (golang-jwt v4.5.2, `internal/token/jwt.go`).
    func libraryMessage(_ error: TokenError) -> String {
        switch error {
        case .malformed(let segments) where segments != 3: "token contains an invalid number of segments"
        case .malformed: "illegal base64 data"
        case .wrongAlgorithm(let alg): "unexpected signing method: \(alg)"
        case .badSignature:
            switch algorithm.family {
            case .hmac: "signature is invalid"
            case .rsa: "crypto/rsa: verification error"
            case .ecdsa: "crypto/ecdsa: verification error"
            }
        }
    }

    /// Loads the configured key, or generates one and keeps it in the data folder.
    static func make(_ configuration: AuthorizerConfiguration) async throws -> TokenService {
        let keys = JWTKeyCollection()
        var jwk: [String: String]?
        var previousKeys: [JWTKeyCollection] = []
        var previousJWKs: [[String: String]] = []
        let type = configuration.jwtType
        guard configuration.jwtPreviousPublicKeys.isEmpty || type.family == .rsa else {
            throw AuthorizerSetupError("--jwt-previous-public-key is for RSA keys (RS256, RS384, RS512)")
        }
        let kid = configuration.clientID
        var hmacSecret: String?
        let digest: DigestAlgorithm =
            switch type.bits {
            case 384: .sha384
            case 512: .sha512
            default: .sha256
            }
        switch type.family {
        case .hmac:
            // Authorizer refuses only an empty secret (`internal/token/provider.go`).
            guard let secret = configuration.jwtSecret, !secret.isEmpty else {
                throw AuthorizerSetupError("--jwt-secret is required with --jwt-type \(type.rawValue)")
            }
            hmacSecret = secret
        case .rsa:
            let pem =
                try configuration.jwtPrivateKey
                ?? KeyFolder(configuration.dataFolder).pem(named: "jwt-\(type.rawValue.lowercased()).pem") {
                    try _RSA.Signing.PrivateKey(keySize: .bits2048).pemRepresentation
                }
            let key = try Insecure.RSA.PrivateKey(pem: pem)
            if let publicPEM = configuration.jwtPublicKey, try Insecure.RSA.PublicKey(pem: publicPEM) != key.publicKey {
                throw AuthorizerSetupError("--jwt-public-key does not match --jwt-private-key")
            }
            await keys.add(rsa: key, digestAlgorithm: digest)
            jwk = try rsaJWK(key.publicKey, kid: kid, alg: type.rawValue)
            for (index, pem) in configuration.jwtPreviousPublicKeys.enumerated() {
                guard let previous = try? Insecure.RSA.PublicKey(pem: pem) else {
                    throw AuthorizerSetupError("--jwt-previous-public-key \(index + 1) is not an RSA public key in PEM")
                }
                let collection = JWTKeyCollection()
                await collection.add(rsa: previous, digestAlgorithm: digest)
                previousKeys.append(collection)
                previousJWKs.append(try rsaJWK(previous, kid: "\(kid)-previous-\(index + 1)", alg: type.rawValue))
            }
        case .ecdsa:
            let folder = KeyFolder(configuration.dataFolder)
            let name = "jwt-\(type.rawValue.lowercased()).pem"
            let (parameters, curve): ((x: String, y: String)?, String) =
                switch type.bits {
                case 384:
                    (
                        try await addECDSA(P384.self, configuration, folder, name, keys) {
                            P384.Signing.PrivateKey().pemRepresentation
                        }, "P-384"
                    )
                case 512:
                    (
                        try await addECDSA(P521.self, configuration, folder, name, keys) {
                            P521.Signing.PrivateKey().pemRepresentation
                        }, "P-521"
                    )
                default:
                    (
                        try await addECDSA(P256.self, configuration, folder, name, keys) {
                            P256.Signing.PrivateKey().pemRepresentation
                        }, "P-256"
                    )
                }
            guard let parameters else { throw AuthorizerSetupError("\(type.rawValue) key has no parameters") }
            jwk = [
                "kty": "EC", "crv": curve, "use": "sig", "alg": type.rawValue, "kid": kid, "x": parameters.x,
                "y": parameters.y,
            ]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let jwks = try encoder.encode(["keys": (jwk.map { [$0] } ?? []) + previousJWKs])
        var service = TokenService(algorithm: type, keys: keys, previousKeys: previousKeys, jwksJSON: jwks)
        service.hmacSecret = hmacSecret
        return service
    }

    /// Loads (or generates, with `generate`) the ECDSA key on `Curve`, checks `--jwt-public-key`
    /// against it, adds it to `keys`, and returns its public point for the JWKS.
    private static func addECDSA<Curve: ECDSACurveType>(
        _ curve: Curve.Type, _ configuration: AuthorizerConfiguration, _ folder: KeyFolder, _ name: String,
        _ keys: JWTKeyCollection, generate: () throws -> String
    ) async throws -> (x: String, y: String)? {
        let key = try ECDSA.PrivateKey<Curve>(
            pem: try configuration.jwtPrivateKey ?? folder.pem(named: name, generate: generate))
        if let publicPEM = configuration.jwtPublicKey, try ECDSA.PublicKey<Curve>(pem: publicPEM) != key.publicKey {
            throw AuthorizerSetupError("--jwt-public-key does not match --jwt-private-key")
        }
        await keys.add(ecdsa: key)
        return key.publicKey.parameters.map { ($0.x, $0.y) }
    }

    /// A signed token with exactly `claims` and no `kid` header, as Authorizer issues them.
    func sign(_ claims: [String: JSONValue]) async throws -> String {
        if let hmacSecret {
            let header = Data(#"{"alg":"\#(algorithm.rawValue)","typ":"JWT"}"#.utf8)
            guard
                let token = HMACJWT.sign(
                    header: header, payload: try GoJSON.encode(claims), algorithm: algorithm.rawValue,
                    secret: hmacSecret)
            else { throw AuthorizerSetupError("cannot sign with \(algorithm.rawValue)") }
            return token
        }
        return try await keys.sign(Claims(values: claims), header: ["alg": .string(algorithm.rawValue), "typ": "JWT"])
    }

    /// The claims of a token whose signature is good and whose `alg` is this server's own.
    func verify(_ token: String) async throws -> [String: JSONValue] {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = Data(base64URLEncoded: String(parts[0])),
            let header = GoJSON.decodeObject(headerData)
        else { throw TokenError.malformed(segments: parts.count) }
        let alg = header["alg"]?.string ?? ""
        guard alg == algorithm.rawValue else { throw TokenError.wrongAlgorithm(alg) }
        if let hmacSecret {
            guard HMACJWT.isValid(token, algorithm: alg, secret: hmacSecret) else { throw TokenError.badSignature }
            guard let payload = Data(base64URLEncoded: String(parts[1])), let claims = GoJSON.decodeObject(payload)
            else { throw TokenError.malformed(segments: 3) }
            return claims
        }
        for collection in [keys] + previousKeys where (try? await collection.verify(token, as: Claims.self)) != nil {
            // The claims as Go reads them: the last of two equal names wins.
            guard let payload = Data(base64URLEncoded: String(parts[1])), let claims = GoJSON.decodeObject(payload)
            else { throw TokenError.malformed(segments: 3) }
            return claims
        }
        throw TokenError.badSignature
    }

    private static func rsaJWK(_ key: JWTKit.Insecure.RSA.PublicKey, kid: String, alg: String) throws -> [String:
        String]
    {
        let primitives = try key.getKeyPrimitives()
        return [
            "kty": "RSA", "use": "sig", "alg": alg, "kid": kid,
            "n": primitives.modulus.base64URLEncodedString(), "e": primitives.publicExponent.base64URLEncodedString(),
        ]
    }

    /// A JWT payload with any claims; the server checks `exp` and the rest itself.
    struct Claims: JWTPayload {
        var values: [String: JSONValue]

        init(values: [String: JSONValue]) { self.values = values }

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

extension Data {
    /// base64url without padding (RFC 7515 §2), as ``HMACJWT`` writes it.
    func base64URLEncodedString() -> String { HMACJWT.base64URL(self) }

    /// Strict base64url, as ``HMACJWT`` reads it.
    init?(base64URLEncoded text: String) {
        guard let data = HMACJWT.base64URLDecoded(text) else { return nil }
        self = data
    }
}
