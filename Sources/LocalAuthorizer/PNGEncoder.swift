import Foundation

/// 1-bit greyscale PNG (ISO/IEC 15948) of a module matrix; image data in stored deflate blocks (RFC 1950/1951).
enum PNGEncoder {
    /// The PNG of `modules` (square, `true` = dark), `border` light modules around it, `scale` pixels per module.
    static func image(of modules: [[Bool]], scale: Int, border: Int) -> Data {
        let width = (modules.count + 2 * border) * scale
        var header: [UInt8] = bigEndian(UInt32(width)) + bigEndian(UInt32(width))
        header += [1, 0, 0, 0, 0]  // bit depth 1, colour type 0 (greyscale), deflate, filter 0, no interlace
        var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]  // PNG signature
        file += chunk(type: "IHDR", body: header)
        file += chunk(type: "IDAT", body: zlibStored(scanlines(of: modules, scale: scale, border: border)))
        file += chunk(type: "IEND", body: [])
        return Data(file)
    }

    /// Image data, `width` rows of filter byte 0 + ⌈width / 8⌉ bytes, MSB leftmost, 0 = black (PNG 7.2, 9.2).
    static func scanlines(of modules: [[Bool]], scale: Int, border: Int) -> [UInt8] {
        let side = modules.count
        let width = (side + 2 * border) * scale
        let rowBytes = (width + 7) / 8
        var data: [UInt8] = []
        data.reserveCapacity(width * (rowBytes + 1))
        for moduleRow in -border..<(side + border) {
            var line = [UInt8](repeating: 0, count: rowBytes + 1)  // line[0] is the filter byte, 0 (None)
            for x in 0..<width {
                let moduleColumn = x / scale - border
                let isDark =
                    (0..<side).contains(moduleRow) && (0..<side).contains(moduleColumn)
                    && modules[moduleRow][moduleColumn]
                if !isDark {
                    line[1 + x / 8] |= UInt8(0x80) >> (x % 8)
                }
            }
            for _ in 0..<scale {
                data += line
            }
        }
        return data
    }

    /// zlib (RFC 1950) of `data`: header, stored blocks ≤ 65,535 bytes (RFC 1951 3.2.4), big-endian Adler-32.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var stream: [UInt8] = [0x78, 0x01]  // deflate, 32 KiB window; (0x78 × 256 + 0x01) is a multiple of 31
        var start = 0
        repeat {
            let end = min(start + 65_535, data.count)
            let length = end - start
            let complement = 0xFFFF ^ length
            stream.append(end == data.count ? 1 : 0)  // BFINAL, BTYPE 00 (stored), padding to the byte
            stream += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(complement & 0xFF), UInt8(complement >> 8)]
            stream += data[start..<end]
            start = end
        } while start < data.count
        stream += bigEndian(adler32(data))
        return stream
    }

    /// The Adler-32 checksum of `data` (RFC 1950 8.2).
    static func adler32(_ data: [UInt8]) -> UInt32 {
        var sumA: UInt32 = 1
        var sumB: UInt32 = 0
        for byte in data {
            sumA = (sumA + UInt32(byte)) % 65_521
            sumB = (sumB + sumA) % 65_521
        }
        return (sumB << 16) | sumA
    }

    /// A chunk: 4-byte big-endian length, 4-byte `type`, `body`, CRC-32 of type + body (PNG, ISO/IEC 15948 5.3).
    static func chunk(type: String, body: [UInt8]) -> [UInt8] {
        let typeAndBody = Array(type.utf8) + body
        return bigEndian(UInt32(body.count)) + typeAndBody + bigEndian(crc32(typeAndBody))
    }

    /// CRC-32 lookup table for the reflected polynomial 0xEDB88320, 256 entries (PNG, ISO/IEC 15948 Annex D).
    static let crcTable: [UInt32] = (0..<256).map { (index: Int) -> UInt32 in
        var value = UInt32(index)
        for _ in 0..<8 {
            value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1
        }
        return value
    }

    /// The CRC-32 of `bytes`: register preset to all ones, final value complemented (PNG, ISO/IEC 15948 5.5).
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }

    /// The 4 bytes of `value`, most significant first.
    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) }
    }
}
