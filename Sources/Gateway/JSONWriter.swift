import Foundation
import Hummingbird

/// Writes JSON by hand for the hottest responses, so that JSON the database already holds (a
/// workflow's definition) is copied into the body as it is instead of being decoded into a tree
/// and encoded again. The output matches what `JSONEncoder` with `.iso8601` dates gives.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func string(_ text: String) {
        bytes.append(0x22)
        for byte in text.utf8 {
            switch byte {
            case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
            case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: bytes.append(contentsOf: [0x5C, 0x72])
            case 0x09: bytes.append(contentsOf: [0x5C, 0x74])
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(0x22)
    }

    mutating func date(_ date: Date) { string(date.formatted(.iso8601)) }

    /// `"key":` then the value the closure writes; a comma first unless it opens the object.
    mutating func field(_ key: String, first: Bool = false, _ value: (inout JSONWriter) -> Void) {
        if !first { bytes.append(0x2C) }
        string(key)
        bytes.append(0x3A)
        value(&self)
    }

    func response(status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
