import Foundation
import Hummingbird
import PlatformDB

/// Writes JSON by hand for the hottest responses, so that JSON the database already holds (a
/// workflow's definition) is copied into the body as it is instead of being decoded into a tree
/// and encoded again. The output matches what `JSONEncoder` with `.iso8601` dates gives (but
/// `/` is not escaped), and what PostgreSQL's `to_json` gives (``WorkflowPages``).
struct JSONWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func string(_ text: String) {
        bytes.append(0x22)
        // Most strings need no escape: copied whole, not byte by byte (that loop was 9% of a
        // 20-workflow page's instructions).
        let copied = text.utf8.withContiguousStorageIfAvailable { utf8 in
            guard !utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if copied == true {
            bytes.append(0x22)
            return
        }
        for byte in text.utf8 {
            switch byte {
            case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
            case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: bytes.append(contentsOf: [0x5C, 0x72])
            case 0x09: bytes.append(contentsOf: [0x5C, 0x74])
            // \b and \f as JSONEncoder and PostgreSQL's to_json write them.
            case 0x08: bytes.append(contentsOf: [0x5C, 0x62])
            case 0x0C: bytes.append(contentsOf: [0x5C, 0x66])
            case 0x00..<0x20:
                let (high, low) = Hex.digits(of: byte)
                bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, high, low])
            default: bytes.append(byte)
            }
        }
        bytes.append(0x22)
    }

    /// `"2026-11-29T05:03:04Z"`, as `.iso8601` writes it (UTC, whole seconds rounded down), by
    /// arithmetic: Foundation's formatter was 4% of a workflow list's CPU.
    mutating func date(_ date: Date) {
        // Int64(_:) of a Double traps past ±9.2e18; a date outside years 1–9999 has no ISO 8601 form anyway.
        guard Date.storableRange.contains(date) else { return string(date.formatted(.iso8601)) }
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let time = seconds - days * 86_400
        // Days since 1970-01-01 to a civil date (H. Hinnant's days_from_civil, inverted).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        // Foundation writes years before the 1582 Gregorian reform in the Julian calendar.
        guard (1583...9999).contains(year) else { return string(date.formatted(.iso8601)) }
        bytes.append(0x22)
        digits(year, 4)
        bytes.append(0x2D)
        digits(month, 2)
        bytes.append(0x2D)
        digits(day, 2)
        bytes.append(0x54)
        digits(time / 3600, 2)
        bytes.append(0x3A)
        digits(time / 60 % 60, 2)
        bytes.append(0x3A)
        digits(time % 60, 2)
        bytes.append(contentsOf: [0x5A, 0x22])
    }

    private mutating func digits(_ value: Int64, _ count: Int) {
        var divisor: Int64 = 1
        for _ in 1..<count { divisor *= 10 }
        while divisor > 0 {
            bytes.append(0x30 + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }

    /// `"key":` then the value the closure writes; a comma first unless it opens the object.
    mutating func field(_ key: String, first: Bool = false, _ value: (inout JSONWriter) -> Void) {
        if !first { bytes.append(0x2C) }
        string(key)
        bytes.append(0x3A)
        value(&self)
    }

    static let contentType = "application/json; charset=utf-8"

    func buffer() -> ByteBuffer { ByteBuffer(bytes: bytes) }

    func response(status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = Self.contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: buffer()))
    }
}
