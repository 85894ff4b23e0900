import Crypto
import Foundation

/// Authorizer 2.4's webhook signature: `X-Authorizer-Signature` carries the lowercase hex
/// HMAC-SHA256 of the raw body bytes, keyed with the client secret (Authorizer 2.4, `internal/events/`).
public enum WebhookSignature {
    /// The header Authorizer 2.4 sends.
    public static let headerName = "X-Authorizer-Signature"

    /// The lowercase hex signature of `body` under `secret`.
    public static func sign(_ body: some DataProtocol, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `signature` (hex, any case, optionally prefixed `sha256=`) is the signature of the
    /// raw `body` under `secret`. The comparison takes the same time wherever the bytes differ.
    public static func isValid(_ signature: String, body: some DataProtocol, secret: String) -> Bool {
        var hex = Substring(signature.trimmingCharacters(in: .whitespaces))
        if hex.lowercased().hasPrefix("sha256=") { hex = hex.dropFirst("sha256=".count) }
        guard let given = Self.bytes(fromHex: hex), given.count == SHA256.byteCount else { return false }
        let key = SymmetricKey(data: Data(secret.utf8))
        return HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: body, using: key)
    }

    private static func bytes(fromHex hex: Substring) -> [UInt8]? {
        guard hex.utf8.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.utf8.count / 2)
        var iterator = hex.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            guard let h = nibble(high), let l = nibble(low) else { return nil }
            bytes.append(h << 4 | l)
        }
        return bytes
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x61...0x66: c - 0x61 + 10
        case 0x41...0x46: c - 0x41 + 10
        default: nil
        }
    }
}
