import Foundation

/// Why `QRCode` could not make a symbol or its image.
enum QRCodeError: Error, Sendable, Equatable {
    /// The text is `byteCount` UTF-8 bytes; level M byte mode holds 2,331 at most (version 40, ISO/IEC 18004 Table 7).
    case textTooLong(byteCount: Int)
    /// `scale` (pixels per module) is outside 1...32 or `border` (quiet-zone modules) is outside 0...32.
    case invalidImageGeometry(scale: Int, border: Int)
}

/// QR Code (model 2) symbols in byte mode at error-correction level M, and PNG images of them (ISO/IEC 18004:2015).
enum QRCode: Sendable {
    /// The smallest symbol (version 1...40) for `text`'s UTF-8: size × size modules (4 × version + 17), true = dark.
    static func modules(for text: String) throws -> [[Bool]] {
        let bytes = Array(text.utf8)
        guard let version = Version.smallest(holding: bytes.count) else {
            throw QRCodeError.textTooLong(byteCount: bytes.count)
        }
        let dataCodewords = DataEncoding.codewords(for: bytes, version: version)
        let finalCodewords = ReedSolomon.finalMessage(data: dataCodewords, version: version)
        var symbol = Symbol(version: version)
        symbol.place(codewords: finalCodewords)
        return symbol.bestMasked().rows
    }

    /// A 1-bit greyscale PNG of the symbol for `text`: `scale` pixels per module, `border` modules of quiet zone.
    static func png(for text: String, scale: Int = 4, border: Int = 4) throws -> Data {
        guard (1...32).contains(scale), (0...32).contains(border) else {
            throw QRCodeError.invalidImageGeometry(scale: scale, border: border)
        }
        let matrix = try modules(for: text)
        return PNGEncoder.image(of: matrix, scale: scale, border: border)
    }
}

// MARK: - Versions and their level-M parameters

extension QRCode {
    /// A symbol version, 1...40, with its size and level-M block structure (ISO/IEC 18004 Tables 1, 3, 9, E.1).
    fileprivate struct Version {
        /// The version number, 1...40.
        let number: Int

        /// Modules per side: 21 for version 1, growing by 4 per version (ISO/IEC 18004 6.3.1).
        var size: Int { 4 * number + 17 }

        /// Bits of the byte-mode character count indicator: 8 for versions 1–9, 16 for 10–40 (ISO/IEC 18004 Table 3).
        var characterCountBits: Int { number <= 9 ? 8 : 16 }

        /// Error-correction codewords in each block at level M (ISO/IEC 18004 Table 9).
        var ecCodewordsPerBlock: Int { Tables.ecCodewordsPerBlockM[number - 1] }

        /// Number of error-correction blocks, group 1 and group 2 together, at level M (ISO/IEC 18004 Table 9).
        var blockCount: Int { Tables.blockCountM[number - 1] }

        /// Row (and column) coordinates of alignment pattern centres; empty for version 1 (ISO/IEC 18004 Table E.1).
        var alignmentCentres: [Int] { Tables.alignmentCentres[number - 1] }

        /// Modules for codewords and remainder bits: all less function patterns (ISO/IEC 18004 Table 1, data modules).
        var dataModuleCount: Int {
            let centres = alignmentCentres.count
            let alignmentPatterns = centres == 0 ? 0 : centres * centres - 3
            let alignmentPatternsOnTiming = centres == 0 ? 0 : 2 * (centres - 2)
            var count = size * size
            count -= 3 * 64  // three 7 × 7 finder patterns with their separators
            count -= 2 * 15 + 1  // two copies of format information and the dark module
            count -= 2 * (size - 16)  // the two timing patterns between the separators
            count -= 25 * alignmentPatterns - 5 * alignmentPatternsOnTiming  // 5 modules of each already timing
            if number >= 7 {
                count -= 2 * 18  // two copies of version information
            }
            return count
        }

        /// Codewords (data and error correction) in the symbol; the `dataModuleCount % 8` left over are remainder bits.
        var totalCodewords: Int { dataModuleCount / 8 }

        /// Data codewords in the symbol at level M (ISO/IEC 18004 Table 7).
        var dataCodewords: Int { totalCodewords - blockCount * ecCodewordsPerBlock }

        /// Most bytes byte mode holds: data bits less the 4-bit mode indicator and the count indicator, in whole bytes.
        var byteCapacity: Int { (8 * dataCodewords - 4 - characterCountBits) / 8 }

        /// Data codewords per block, `blockCount` entries, group 1 first, group 2 one more (ISO/IEC 18004 Table 9).
        var dataCodewordsPerBlock: [Int] {
            let shortBlockCodewords = totalCodewords / blockCount
            let longBlocks = totalCodewords % blockCount
            return (0..<blockCount).map { index in
                shortBlockCodewords - ecCodewordsPerBlock + (index < blockCount - longBlocks ? 0 : 1)
            }
        }

        /// The smallest version whose byte capacity at level M is at least `byteCount` bytes; nil beyond version 40.
        static func smallest(holding byteCount: Int) -> Version? {
            (1...40).lazy.map { Version(number: $0) }.first { $0.byteCapacity >= byteCount }
        }
    }

    /// Constant tables for level M, indexed by version − 1 (ISO/IEC 18004 Table 9 and Table E.1).
    fileprivate enum Tables {
        /// Error-correction codewords per block at level M, versions 1...40 (ISO/IEC 18004 Table 9).
        static let ecCodewordsPerBlockM: [Int] = [
            10, 16, 26, 18, 24, 16, 18, 22, 22, 26,
            30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
            26, 28, 28, 28, 28, 28, 28, 28, 28, 28,
            28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
        ]

        /// Error-correction blocks (group 1 plus group 2) at level M, versions 1...40 (ISO/IEC 18004 Table 9).
        static let blockCountM: [Int] = [
            1, 1, 1, 2, 2, 4, 4, 4, 5, 5,
            5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
            17, 17, 18, 20, 21, 23, 25, 26, 28, 29,
            31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
        ]

        /// Alignment pattern centre coordinates, versions 1...40 (ISO/IEC 18004 Annex E, Table E.1).
        static let alignmentCentres: [[Int]] = [
            [],
            [6, 18], [6, 22], [6, 26], [6, 30], [6, 34],
            [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50], [6, 30, 54], [6, 32, 58], [6, 34, 62],
            [6, 26, 46, 66], [6, 26, 48, 70], [6, 26, 50, 74], [6, 30, 54, 78], [6, 30, 56, 82], [6, 30, 58, 86],
            [6, 34, 62, 90],
            [6, 28, 50, 72, 94], [6, 26, 50, 74, 98], [6, 30, 54, 78, 102], [6, 28, 54, 80, 106],
            [6, 32, 58, 84, 110], [6, 30, 58, 86, 114], [6, 34, 62, 90, 118],
            [6, 26, 50, 74, 98, 122], [6, 30, 54, 78, 102, 126], [6, 26, 52, 78, 104, 130],
            [6, 30, 56, 82, 108, 134], [6, 34, 60, 86, 112, 138], [6, 30, 58, 86, 114, 142],
            [6, 34, 62, 90, 118, 146],
            [6, 30, 54, 78, 102, 126, 150], [6, 24, 50, 76, 102, 128, 154], [6, 28, 54, 80, 106, 132, 158],
            [6, 32, 58, 84, 110, 136, 162], [6, 26, 54, 82, 110, 138, 166], [6, 30, 58, 86, 114, 142, 170],
        ]
    }
}

// MARK: - Data encoding

extension QRCode {
    /// A growing sequence of bits, each value written most significant bit first.
    fileprivate struct BitWriter {
        /// The bits written so far, in order.
        private(set) var bits: [Bool] = []

        /// Appends the low `width` bits of `value`, most significant first; `width` 0 appends nothing.
        mutating func append(_ value: Int, width: Int) {
            for shift in stride(from: width - 1, through: 0, by: -1) {
                bits.append((value >> shift) & 1 == 1)
            }
        }

        /// The bits packed 8 to a byte, first bit in the most significant place; a partial last byte is zero-filled.
        var bytes: [UInt8] {
            stride(from: 0, to: bits.count, by: 8).map { (start: Int) -> UInt8 in
                var byte: UInt8 = 0
                for offset in 0..<8 {
                    let bit = start + offset < bits.count && bits[start + offset]
                    byte = (byte << 1) | (bit ? 1 : 0)
                }
                return byte
            }
        }
    }

    /// Byte-mode data encoding into data codewords (ISO/IEC 18004 7.4).
    fileprivate enum DataEncoding {
        /// The `version.dataCodewords` data codewords: mode, count, bytes, terminator, padding (ISO/IEC 18004 7.4).
        static func codewords(for bytes: [UInt8], version: Version) -> [UInt8] {
            let capacityBits = 8 * version.dataCodewords
            var writer = BitWriter()
            writer.append(0b0100, width: 4)
            writer.append(bytes.count, width: version.characterCountBits)
            for byte in bytes {
                writer.append(Int(byte), width: 8)
            }
            writer.append(0, width: min(4, capacityBits - writer.bits.count))
            writer.append(0, width: (8 - writer.bits.count % 8) % 8)
            var codewords = writer.bytes
            var padIndex = 0
            while codewords.count < version.dataCodewords {
                codewords.append(padIndex % 2 == 0 ? 0xEC : 0x11)
                padIndex += 1
            }
            return codewords
        }
    }
}

// MARK: - Reed–Solomon error correction

extension QRCode {
    /// Arithmetic in GF(2^8) modulo the primitive polynomial x^8 + x^4 + x^3 + x^2 + 1, 0x11D (ISO/IEC 18004 7.5.2).
    fileprivate enum GaloisField {
        /// α^i for i in 0..<510 (the 255 powers twice, so that a sum of two logarithms needs no reduction).
        static let exponents: [UInt8] = {
            var table = [UInt8](repeating: 0, count: 510)
            var value = 1
            for power in 0..<255 {
                table[power] = UInt8(value)
                table[power + 255] = UInt8(value)
                value <<= 1
                if value & 0x100 != 0 {
                    value ^= 0x11D
                }
            }
            return table
        }()

        /// log_α(x) for x in 1...255, 256 entries; entry 0 is unused (zero has no logarithm).
        static let logarithms: [Int] = {
            var table = [Int](repeating: 0, count: 256)
            for power in 0..<255 {
                table[Int(GaloisField.exponents[power])] = power
            }
            return table
        }()

        /// The field product of `lhs` and `rhs`.
        static func multiply(_ lhs: UInt8, _ rhs: UInt8) -> UInt8 {
            guard lhs != 0, rhs != 0 else { return 0 }
            return exponents[logarithms[Int(lhs)] + logarithms[Int(rhs)]]
        }
    }

    /// Reed–Solomon error-correction codewords, blocks and interleaving (ISO/IEC 18004 7.5 and 7.6).
    fileprivate enum ReedSolomon {
        /// ∏(x − α^i), i < degree: `degree + 1` coefficients from x^degree (1) down to x^0 (ISO/IEC 18004 Annex A).
        static func generatorPolynomial(degree: Int) -> [UInt8] {
            var polynomial: [UInt8] = [1]
            for power in 0..<degree {
                var product = [UInt8](repeating: 0, count: polynomial.count + 1)
                for (index, coefficient) in polynomial.enumerated() {
                    product[index] ^= coefficient
                    product[index + 1] ^= GaloisField.multiply(coefficient, GaloisField.exponents[power])
                }
                polynomial = product
            }
            return polynomial
        }

        /// One block's EC codewords, `generator.count − 1` bytes: data(x) · x^(count − 1) mod it (ISO/IEC 18004 7.5.2).
        static func errorCorrection(for data: [UInt8], generator: [UInt8]) -> [UInt8] {
            let degree = generator.count - 1
            var remainder = [UInt8](repeating: 0, count: degree)
            for codeword in data {
                let factor = codeword ^ remainder[0]
                remainder.removeFirst()
                remainder.append(0)
                for index in 0..<degree {
                    remainder[index] ^= GaloisField.multiply(generator[index + 1], factor)
                }
            }
            return remainder
        }

        /// The `version.totalCodewords` final codewords: data, then EC, interleaved across blocks (ISO/IEC 18004 7.6).
        static func finalMessage(data: [UInt8], version: Version) -> [UInt8] {
            let generator = generatorPolynomial(degree: version.ecCodewordsPerBlock)
            var dataBlocks: [[UInt8]] = []
            var start = 0
            for length in version.dataCodewordsPerBlock {
                dataBlocks.append(Array(data[start..<(start + length)]))
                start += length
            }
            let ecBlocks = dataBlocks.map { errorCorrection(for: $0, generator: generator) }
            var message: [UInt8] = []
            message.reserveCapacity(version.totalCodewords)
            let longestBlock = dataBlocks.map(\.count).max() ?? 0
            for index in 0..<longestBlock {
                for block in dataBlocks where index < block.count {
                    message.append(block[index])
                }
            }
            for index in 0..<version.ecCodewordsPerBlock {
                for block in ecBlocks {
                    message.append(block[index])
                }
            }
            return message
        }
    }
}

// MARK: - The module matrix

extension QRCode {
    /// A symbol under construction: module colours and which modules are function patterns (never data, never masked).
    fileprivate struct Symbol {
        /// The symbol's version.
        let version: Version
        /// Modules per side.
        let size: Int
        /// Module colours, row-major, `size × size` entries, `true` = dark.
        private var dark: [Bool]
        /// Whether each module (row-major, `size × size`) belongs to a function pattern or format/version information.
        private var isFunction: [Bool]

        /// An empty symbol of `version` with every function pattern drawn and format information reserved.
        init(version: Version) {
            self.version = version
            size = version.size
            dark = Array(repeating: false, count: version.size * version.size)
            isFunction = Array(repeating: false, count: version.size * version.size)
            drawFunctionPatterns()
        }

        /// The module colours as `size` rows of `size` columns, `true` = dark.
        var rows: [[Bool]] {
            (0..<size).map { row in Array(dark[(row * size)..<((row + 1) * size)]) }
        }

        /// Colours the module at (`row`, `column`), both 0-based from the top left, and marks it as a function module.
        private mutating func setFunctionModule(row: Int, column: Int, isDark: Bool) {
            dark[row * size + column] = isDark
            isFunction[row * size + column] = true
        }

        // MARK: Function patterns

        /// Draws every function pattern and reserves the format information modules (ISO/IEC 18004 6.3, 7.9, 7.10).
        private mutating func drawFunctionPatterns() {
            drawTimingPatterns()
            drawFinderPattern(top: 0, left: 0)
            drawFinderPattern(top: 0, left: size - 7)
            drawFinderPattern(top: size - 7, left: 0)
            drawAlignmentPatterns()
            drawFormatInformation(mask: 0)  // reserves the modules; rewritten once the mask is chosen
            setFunctionModule(row: size - 8, column: 8, isDark: true)  // the dark module (ISO/IEC 18004 7.9.1)
            drawVersionInformation()
        }

        /// Row 6 and column 6, dark at even indices; the finders drawn afterwards cover the ends (ISO/IEC 18004 6.3.5).
        private mutating func drawTimingPatterns() {
            for index in 0..<size {
                setFunctionModule(row: 6, column: index, isDark: index % 2 == 0)
                setFunctionModule(row: index, column: 6, isDark: index % 2 == 0)
            }
        }

        /// A 7 × 7 finder pattern at (`top`, `left`) and its 1-module light separator (ISO/IEC 18004 6.3.3, 6.3.4).
        private mutating func drawFinderPattern(top: Int, left: Int) {
            for rowOffset in -1...7 {
                for columnOffset in -1...7 {
                    let row = top + rowOffset
                    let column = left + columnOffset
                    guard (0..<size).contains(row), (0..<size).contains(column) else { continue }
                    // Chebyshev distance from the centre: 0–1 the 3 × 3 core, 2 light, 3 dark, 4 the separator.
                    let ring = max(abs(rowOffset - 3), abs(columnOffset - 3))
                    setFunctionModule(row: row, column: column, isDark: ring != 2 && ring != 4)
                }
            }
        }

        /// 5 × 5 alignment patterns on each pair of centres but the 3 on finders (ISO/IEC 18004 6.3.6, Table E.1).
        private mutating func drawAlignmentPatterns() {
            let centres = version.alignmentCentres
            guard let last = centres.indices.last else { return }
            for (rowIndex, centreRow) in centres.enumerated() {
                for (columnIndex, centreColumn) in centres.enumerated() {
                    let isFinderCorner =
                        (rowIndex == 0 && columnIndex == 0) || (rowIndex == 0 && columnIndex == last)
                        || (rowIndex == last && columnIndex == 0)
                    if isFinderCorner { continue }
                    for rowOffset in -2...2 {
                        for columnOffset in -2...2 {
                            let ring = max(abs(rowOffset), abs(columnOffset))
                            setFunctionModule(
                                row: centreRow + rowOffset, column: centreColumn + columnOffset,
                                isDark: ring != 1)
                        }
                    }
                }
            }
        }

        /// Writes both copies of the 15-bit format information for level M and `mask` (ISO/IEC 18004 7.9.1, Fig. 25).
        private mutating func drawFormatInformation(mask: Int) {
            let bits = BCH.formatInformation(mask: mask)
            for index in 0..<15 {
                let isDark = (bits >> index) & 1 == 1
                let first = firstFormatPosition(bit: index)
                let second = secondFormatPosition(bit: index)
                setFunctionModule(row: first.row, column: first.column, isDark: isDark)
                setFunctionModule(row: second.row, column: second.column, isDark: isDark)
            }
        }

        /// (row, column) of format bit `bit` (0 = LSB) beside the top-left finder (ISO/IEC 18004 7.9.1, Figure 25).
        private func firstFormatPosition(bit: Int) -> (row: Int, column: Int) {
            // Bits 0–7 down column 8 (rows 0–5, 7, 8), bits 8–14 leftwards along row 8 (columns 7, 5–0); 6 is timing.
            if bit < 6 { return (bit, 8) }
            if bit < 8 { return (bit + 1, 8) }
            if bit == 8 { return (8, 7) }
            return (8, 14 - bit)
        }

        /// (row, column) of format bit `bit` (0 = LSB) in the copy by the other finders (ISO/IEC 18004 Figure 25).
        private func secondFormatPosition(bit: Int) -> (row: Int, column: Int) {
            // Bits 0–7 leftwards along row 8 (columns size − 1 … size − 8), bits 8–14 down column 8 (rows size − 7 …).
            if bit < 8 { return (8, size - 1 - bit) }
            return (size - 15 + bit, 8)
        }

        /// Both 6 × 3 copies of the 18 version bits, for versions 7 and up (ISO/IEC 18004 7.10, Figure 27).
        private mutating func drawVersionInformation() {
            // Bit i (0 = LSB) at row i / 3, column size − 11 + i % 3 above right, and transposed below left.
            guard version.number >= 7 else { return }
            let bits = BCH.versionInformation(version: version.number)
            for index in 0..<18 {
                let isDark = (bits >> index) & 1 == 1
                let near = index / 3
                let far = size - 11 + index % 3
                setFunctionModule(row: near, column: far, isDark: isDark)
                setFunctionModule(row: far, column: near, isDark: isDark)
            }
        }

        // MARK: Codeword placement

        /// Places the codewords' bits, MSB first, zigzagging up and down 2-module columns (ISO/IEC 18004 7.7.3).
        mutating func place(codewords: [UInt8]) {
            // From the bottom right, right module before left, skipping function modules and the timing column;
            // modules left over are remainder bits, 0.
            let bitCount = codewords.count * 8
            var bitIndex = 0
            var upward = true
            var right = size - 1
            while right > 0 {
                if right == 6 {
                    right = 5
                }
                for step in 0..<size {
                    let row = upward ? size - 1 - step : step
                    for column in [right, right - 1] where !isFunction[row * size + column] {
                        var isDark = false
                        if bitIndex < bitCount {
                            isDark = (codewords[bitIndex / 8] >> (7 - bitIndex % 8)) & 1 == 1
                            bitIndex += 1
                        }
                        dark[row * size + column] = isDark
                    }
                }
                upward.toggle()
                right -= 2
            }
        }

        // MARK: Masking

        /// Whether data mask `mask` (0...7) inverts the module at row `i`, column `j` (ISO/IEC 18004 Table 10).
        private static func maskInverts(_ mask: Int, row i: Int, column j: Int) -> Bool {
            switch mask {
            case 0: return (i + j) % 2 == 0
            case 1: return i % 2 == 0
            case 2: return j % 3 == 0
            case 3: return (i + j) % 3 == 0
            case 4: return (i / 2 + j / 3) % 2 == 0
            case 5: return (i * j) % 2 + (i * j) % 3 == 0
            case 6: return ((i * j) % 2 + (i * j) % 3) % 2 == 0
            default: return ((i + j) % 2 + (i * j) % 3) % 2 == 0
            }
        }

        /// A copy with data mask `mask` applied to every non-function module and its format information written.
        private func masked(with mask: Int) -> Symbol {
            var copy = self
            for row in 0..<size {
                for column in 0..<size where !isFunction[row * size + column] {
                    if Self.maskInverts(mask, row: row, column: column) {
                        copy.dark[row * size + column].toggle()
                    }
                }
            }
            copy.drawFormatInformation(mask: mask)
            return copy
        }

        /// The masked copy with the lowest penalty of the 8 masks, the lower mask on a tie (ISO/IEC 18004 7.8.3).
        func bestMasked() -> Symbol {
            var best = masked(with: 0)
            var bestPenalty = best.penalty
            for mask in 1..<8 {
                let candidate = masked(with: mask)
                let candidatePenalty = candidate.penalty
                if candidatePenalty < bestPenalty {
                    best = candidate
                    bestPenalty = candidatePenalty
                }
            }
            return best
        }

        // MARK: Penalty (ISO/IEC 18004 7.8.3.1, Table 11: N1 = 3, N2 = 3, N3 = 40, N4 = 10)

        /// The total penalty score of the symbol as it stands, format information included; lower is better.
        private var penalty: Int {
            var score = 0
            for index in 0..<size {
                let row = (0..<size).map { dark[index * size + $0] }
                let column = (0..<size).map { dark[$0 * size + index] }
                score += Self.linePenalty(row) + Self.linePenalty(column)
            }
            return score + blockPenalty + balancePenalty
        }

        /// The 1:1:3:1:1 finder-like pattern followed by 4 light modules (N3); reversed, preceded by them.
        private static let finderLikePattern: [Bool] = [
            true, false, true, true, true, false, true, false, false, false, false,
        ]

        /// N1 + N3 of one row or column: 3 + (run − 5) per run ≥ 5 of one colour, 40 per 11-module finder-like window.
        private static func linePenalty(_ line: [Bool]) -> Int {
            var score = 0
            var run = 1
            for index in 1...line.count {
                if index < line.count && line[index] == line[index - 1] {
                    run += 1
                    continue
                }
                if run >= 5 {
                    score += 3 + (run - 5)
                }
                run = 1
            }
            let reversedPattern = Array(finderLikePattern.reversed())
            for start in stride(from: 0, through: line.count - finderLikePattern.count, by: 1) {
                let window = line[start..<(start + finderLikePattern.count)]
                if window.elementsEqual(finderLikePattern) || window.elementsEqual(reversedPattern) {
                    score += 40
                }
            }
            return score
        }

        /// N2: 3 for each 2 × 2 block of same-coloured modules, overlapping blocks counted separately.
        private var blockPenalty: Int {
            var score = 0
            for row in 0..<(size - 1) {
                for column in 0..<(size - 1) {
                    let colour = dark[row * size + column]
                    if dark[row * size + column + 1] == colour, dark[(row + 1) * size + column] == colour,
                        dark[(row + 1) * size + column + 1] == colour
                    {
                        score += 3
                    }
                }
            }
            return score
        }

        /// N4: 10 for each full 5 % by which the proportion of dark modules departs from 50 %.
        private var balancePenalty: Int {
            let darkCount = dark.reduce(0) { $0 + ($1 ? 1 : 0) }
            let total = size * size
            return 10 * (abs(20 * darkCount - 10 * total) / total)
        }
    }

    /// BCH codes protecting format and version information (ISO/IEC 18004 7.9.1, 7.10, Annexes C and D).
    fileprivate enum BCH {
        /// The 15 format bits for level M (00) and `mask` 0...7: BCH(15,5), 0x537, XOR 0x5412 (ISO/IEC 18004 Annex C).
        static func formatInformation(mask: Int) -> Int {
            let data = (0b00 << 3) | mask
            return ((data << 10) | remainder(of: data << 10, dividedBy: 0x537)) ^ 0x5412
        }

        /// The 18 version bits for `version` (7...40): BCH(18,6) with generator 0x1F25 (ISO/IEC 18004 7.10, Annex D).
        static func versionInformation(version: Int) -> Int {
            (version << 12) | remainder(of: version << 12, dividedBy: 0x1F25)
        }

        /// `value` modulo `divisor`, both read as polynomials over GF(2) with bit i the coefficient of x^i.
        static func remainder(of value: Int, dividedBy divisor: Int) -> Int {
            let divisorDegree = degree(of: divisor)
            var remainder = value
            while degree(of: remainder) >= divisorDegree {
                remainder ^= divisor << (degree(of: remainder) - divisorDegree)
            }
            return remainder
        }

        /// The index of the highest set bit of `value`, −1 for 0.
        static func degree(of value: Int) -> Int {
            value.bitWidth - value.leadingZeroBitCount - 1
        }
    }
}
