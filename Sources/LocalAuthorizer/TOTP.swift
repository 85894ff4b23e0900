import Crypto
import Foundation

/// Time-based one-time passwords as authenticator apps compute them: RFC 6238 over RFC 4226's
/// HOTP, HMAC-SHA1, 6 digits, 30-second steps, the secret shared as RFC 4648 base32 (what
/// Authorizer 2.4 uses through pquerna/otp: `internal/authenticators/totp/totp.go`).
enum TOTP {
    /// Seconds per step.
    static let period: Int64 = 30
    static let digits = 6

    /// A new 160-bit secret, base32 without padding (32 characters).
    static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return base32(Data((0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) }))
    }

    /// The code for `secret` (base32) at Unix time `time` (seconds); nil for a secret that is not base32.
    static func code(secret: String, time: Int64) -> String? {
        guard let key = base32Decode(secret) else { return nil }
        return hotp(key: key, counter: UInt64(max(0, time) / period))
    }

    /// The step (time / 30 s) whose code `code` is, within ±`skew` steps of `time`; nil if none.
    static func matchingStep(_ code: String, secret: String, time: Int64, skew: Int64 = 1) -> Int64? {
        guard code.count == digits, code.allSatisfy(\.isASCIIDigit), let key = base32Decode(secret) else { return nil }
        let now = max(0, time) / period
        for step in (now - skew)...(now + skew) where step >= 0 {
            if hotp(key: key, counter: UInt64(step)).utf8.elementsEqual(code.utf8) { return step }
        }
        return nil
    }

    /// RFC 4226 section 5.3: HMAC-SHA1 of the big-endian counter, dynamically truncated.
    static func hotp(key: Data, counter: UInt64) -> String {
        let message = withUnsafeBytes(of: counter.bigEndian) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: key)))
        let offset = Int(mac[19] & 0x0f)
        let binary =
            (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8)
            | UInt32(mac[offset + 3])
        let value = binary % 1_000_000
        let text = String(value)
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// The `otpauth://` key URI authenticator apps scan (Google Authenticator's key URI format):
    /// issuer `authorizer`, labelled with the account.
    static func keyURI(secret: String, account: String, issuer: String = "authorizer") -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~@")
        let label = "\(issuer):\(account)".addingPercentEncoding(withAllowedCharacters: allowed) ?? account
        return "otpauth://totp/\(label)?algorithm=SHA1&digits=6&issuer=\(issuer)&period=30&secret=\(secret)"
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    /// RFC 4648 section 6, without padding.
    static func base32(_ data: Data) -> String {
        var output: [UInt8] = []
        var buffer = 0
        var bits = 0
        for byte in data {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                output.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { output.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes base32, case-insensitive, padding and spaces ignored; nil on any other character.
    static func base32Decode(_ text: String) -> Data? {
        var output = Data()
        var buffer = 0
        var bits = 0
        for character in text.uppercased().utf8 where character != UInt8(ascii: "=") && character != UInt8(ascii: " ") {
            guard let index = alphabet.firstIndex(of: character) else { return nil }
            buffer = ((buffer << 5) | index) & 0xFFFF
            bits += 5
            if bits >= 8 {
                output.append(UInt8((buffer >> (bits - 8)) & 0xff))
                bits -= 8
            }
        }
        return output.isEmpty ? nil : output
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
