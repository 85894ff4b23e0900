/// Lowercase hexadecimal, the one encoder of the platform (token hashes, body hashes, request ids,
/// secrets, JSON's `\u00XX` escapes). `String(format: "%02x")` costs a formatter per byte.
public enum Hex {
    /// The sixteen digits, lowercase, as ASCII bytes.
    public static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The two digits of `byte`, high nibble first.
    @inlinable public static func digits(of byte: UInt8) -> (UInt8, UInt8) {
        (digits[Int(byte >> 4)], digits[Int(byte & 0x0F)])
    }
}

extension Sequence<UInt8> {
    /// Lowercase hex, two digits a byte.
    public var lowercaseHex: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            let (high, low) = Hex.digits(of: byte)
            bytes.append(high)
            bytes.append(low)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
