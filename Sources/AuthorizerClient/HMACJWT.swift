import Crypto
import ExtrasBase64
import Foundation

/// HS256, HS384 and HS512 JWTs (RFC 7518 §3.2) with swift-crypto's HMAC, for any non-empty
/// secret. Authorizer takes any `--jwt-secret` (`internal/token/provider.go`); jwt-kit asserts
/// that an HMAC key is as long as the hash, which would stop a debug build on a short secret.
public enum HMACJWT {
    /// The JWS `alg` values this signs and checks.
    public static let algorithms: Set<String> = ["HS256", "HS384", "HS512"]

    /// The MAC of `input` under `secret` for `algorithm`; nil for another algorithm.
    static func mac(_ input: Data, algorithm: String, secret: String) -> Data? {
        let key = SymmetricKey(data: Data(secret.utf8))
        switch algorithm {
        case "HS256": return Data(HMAC<SHA256>.authenticationCode(for: input, using: key))
        case "HS384": return Data(HMAC<SHA384>.authenticationCode(for: input, using: key))
        case "HS512": return Data(HMAC<SHA512>.authenticationCode(for: input, using: key))
        default: return nil
        }
    }

    /// `header.payload.signature` in base64url, for the given header and payload JSON bytes.
    public static func sign(header: Data, payload: Data, algorithm: String, secret: String) -> String? {
        let input = base64URL(header) + "." + base64URL(payload)
        guard let mac = mac(Data(input.utf8), algorithm: algorithm, secret: secret) else { return nil }
        return input + "." + base64URL(mac)
    }

    /// Whether `token`'s signature is `algorithm`'s MAC under `secret`, compared in constant time.
    public static func isValid(_ token: String, algorithm: String, secret: String) -> Bool {
        guard let dot = token.lastIndex(of: "."), let signature = base64URLDecoded(token[token.index(after: dot)...]),
            let expected = mac(Data(token[..<dot].utf8), algorithm: algorithm, secret: secret),
            signature.count == expected.count
        else { return false }
        return zip(signature, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    public static func base64URL(_ data: some Collection<UInt8>) -> String {
        Base64.encodeToString(bytes: data, options: [.base64UrlAlphabet, .omitPaddingCharacter])
    }

    /// Strict base64url: the URL alphabet only, no padding, no whitespace.
    public static func base64URLDecoded(_ text: some StringProtocol) -> Data? {
        guard
            text.utf8.allSatisfy({ byte in
                (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                    || byte == 0x2D
                    || byte == 0x5F
            }), text.utf8.count % 4 != 1
        else { return nil }
        return (try? Base64.decode(string: String(text), options: [.base64UrlAlphabet, .omitPaddingCharacter])).map {
            Data($0)
        }
    }
}
