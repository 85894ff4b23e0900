import Crypto
import CryptoExtras
import Foundation
import JWTKit

/// Signs and checks this server's JWTs, and publishes the matching JWKS.
struct TokenService: Sendable {
    let algorithm: AuthorizerConfiguration.JWTType
    private let keys: JWTKeyCollection
    /// Earlier keys (``AuthorizerConfiguration/jwtPreviousPublicKeys``): verification only.
    private let previousKeys: [JWTKeyCollection]
    /// The body of `/.well-known/jwks.json`; no keys for HS256, as Authorizer.
    let jwksJSON: Data

    enum TokenError: Error { case malformed, wrongAlgorithm, badSignature }

    /// Loads the configured key, or generates one and keeps it in the data folder.
    static func make(_ configuration: AuthorizerConfiguration) async throws -> TokenService {
        let keys = JWTKeyCollection()
        var jwk: [String: String]?
        var previousKeys: [JWTKeyCollection] = []
        var previousJWKs: [[String: String]] = []
        guard configuration.jwtPreviousPublicKeys.isEmpty || configuration.jwtType == .rs256 else {
            throw AuthorizerSetupError("--jwt-previous-public-key is for RS256 keys")
        }
        let kid = configuration.clientID
        switch configuration.jwtType {
        case .hs256:
            guard let secret = configuration.jwtSecret, secret.utf8.count >= 32 else {
                throw AuthorizerSetupError("--jwt-secret of at least 32 bytes is required with --jwt-type HS256")
            }
            await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        case .rs256:
            let pem = try configuration.jwtPrivateKey ?? KeyFolder(configuration.dataFolder).pem(named: "jwt-rs256.pem") {
                try _RSA.Signing.PrivateKey(keySize: .bits2048).pemRepresentation
            }
            let key = try Insecure.RSA.PrivateKey(pem: pem)
            if let publicPEM = configuration.jwtPublicKey, try Insecure.RSA.PublicKey(pem: publicPEM) != key.publicKey {
                throw AuthorizerSetupError("--jwt-public-key does not match --jwt-private-key")
            }
            await keys.add(rsa: key, digestAlgorithm: .sha256)
            jwk = try rsaJWK(key.publicKey, kid: kid)
            for (index, pem) in configuration.jwtPreviousPublicKeys.enumerated() {
                guard let previous = try? Insecure.RSA.PublicKey(pem: pem) else {
                    throw AuthorizerSetupError("--jwt-previous-public-key \(index + 1) is not an RSA public key in PEM")
                }
                let collection = JWTKeyCollection()
                await collection.add(rsa: previous, digestAlgorithm: .sha256)
                previousKeys.append(collection)
                previousJWKs.append(try rsaJWK(previous, kid: "\(kid)-previous-\(index + 1)"))
            }
        case .es256:
            let pem = try configuration.jwtPrivateKey ?? KeyFolder(configuration.dataFolder).pem(named: "jwt-es256.pem") {
                P256.Signing.PrivateKey().pemRepresentation
            }
            let key = try ES256PrivateKey(pem: pem)
            if let publicPEM = configuration.jwtPublicKey, try ES256PublicKey(pem: publicPEM) != key.publicKey {
                throw AuthorizerSetupError("--jwt-public-key does not match --jwt-private-key")
            }
            await keys.add(ecdsa: key)
            guard let parameters = key.publicKey.parameters else { throw AuthorizerSetupError("ES256 key has no parameters") }
            jwk = [
                "kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": kid,
                "x": parameters.x, "y": parameters.y,
            ]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let jwks = try encoder.encode(["keys": (jwk.map { [$0] } ?? []) + previousJWKs])
        return TokenService(algorithm: configuration.jwtType, keys: keys, previousKeys: previousKeys, jwksJSON: jwks)
    }

    /// A signed token with exactly `claims` and no `kid` header, as Authorizer issues them.
    func sign(_ claims: [String: JSONValue]) async throws -> String {
        try await keys.sign(Claims(values: claims), header: ["alg": .string(algorithm.rawValue), "typ": "JWT"])
    }

    /// The claims of a token whose signature is good and whose `alg` is this server's own.
    func verify(_ token: String) async throws -> [String: JSONValue] {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = Data(base64URLEncoded: String(parts[0])),
            let header = try? JSONDecoder().decode([String: JSONValue].self, from: headerData)
        else { throw TokenError.malformed }
        guard header["alg"]?.stringValue == algorithm.rawValue else { throw TokenError.wrongAlgorithm }
        for collection in [keys] + previousKeys {
            if let claims = try? await collection.verify(token, as: Claims.self).values { return claims }
        }
        throw TokenError.badSignature
    }

    private static func rsaJWK(_ key: JWTKit.Insecure.RSA.PublicKey, kid: String) throws -> [String: String] {
        let primitives = try key.getKeyPrimitives()
        return [
            "kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid,
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

/// A setting that makes the server unable to start, named in the message.
struct AuthorizerSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Keys generated on first start, kept so that tokens survive a restart.
struct KeyFolder {
    let path: String
    init(_ path: String) { self.path = path }

    func pem(named name: String, generate: () throws -> String) throws -> String {
        let file = URL(fileURLWithPath: path).appendingPathComponent(name)
        if let existing = try? String(contentsOf: file, encoding: .utf8) { return existing }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let pem = try generate()
        try Data(pem.utf8).write(to: file, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        return pem
    }
}

extension Data {
    func base64URLEncodedString() -> String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    init?(base64URLEncoded text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        self.init(base64Encoded: base64)
    }
}
