import Foundation

/// Collision-resistant, unguessable identifiers in the spirit of cuid: a `c`, a millisecond time
/// prefix (so ids sort roughly by creation), then 80 bits from the system's CSPRNG, all base 36.
public enum Identifier {
    /// A new identifier such as `cmh3x1k2a9v0p8q7r6s5t4u3w2`.
    public static func make(now: Date = Date()) -> String {
        var generator = SystemRandomNumberGenerator()
        // UInt64(_:) of a Double traps on NaN and past 1.8e19: the time is clamped first.
        let millis = UInt64(min(max(0, now.timeIntervalSince1970 * 1000), 1e15))
        let time = padded(String(millis, radix: 36), to: 9)
        let high = padded(String(generator.next() & 0xFF_FFFF_FFFF, radix: 36), to: 8)  // 40 bits
        let low = padded(String(generator.next() & 0xFF_FFFF_FFFF, radix: 36), to: 8)  // 40 bits
        return "c" + time + high + low
    }

    /// Whether `text` has the shape of an identifier made here; used to reject malformed ids early.
    public static func isWellFormed(_ text: some StringProtocol) -> Bool {
        text.count == 26 && text.first == "c"
            && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) }
    }

    private static func padded(_ text: String, to width: Int) -> String {
        String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
