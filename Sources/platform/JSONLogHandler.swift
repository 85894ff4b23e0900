import Foundation
import Logging

/// One JSON object per line on standard error: `ts`, `level`, `label`, `message`, `source` and
/// the metadata's keys: numbers (a status, `duration_ms`) as JSON numbers, nested values as their
/// text. Selected with `--log-format json`.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.metadataProvider = metadataProvider
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    private static let lock = NSLock()

    func log(event: LogEvent) {
        var fields: [String: Field] = [:]
        let merged = metadata.merging(metadataProvider?.get() ?? [:]) { $1 }.merging(event.metadata ?? [:]) { $1 }
        for (key, value) in merged { fields[key] = Field(value) }
        fields["ts"] = .text(
            Date().formatted(
                .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted)))
        fields["level"] = .text(event.level.rawValue)
        fields["label"] = .text(label)
        fields["message"] = .text(event.message.description)
        fields["source"] = .text(event.source)
        guard var line = try? Self.encoder.encode(fields) else { return }
        line.append(0x0A)
        Self.lock.withLock { FileHandle.standardError.write(line) }
    }

    /// A metadata value as JSON: integers and finite doubles as numbers, anything else as text.
    enum Field: Encodable {
        case text(String)
        case integer(Int)
        case number(Double)

        init(_ value: Logger.Metadata.Value) {
            switch value {
            case .string(let string): self = .text(string)
            case .stringConvertible(let convertible):
                if let integer = convertible as? Int {
                    self = .integer(integer)
                } else if let number = convertible as? Double, number.isFinite {
                    self = .number(number)
                } else {
                    self = .text(convertible.description)
                }
            case .array, .dictionary: self = .text(value.description)
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let text): try container.encode(text)
            case .integer(let integer): try container.encode(integer)
            case .number(let number): try container.encode(number)
            }
        }
    }
}
