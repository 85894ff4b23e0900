import Foundation
import Testing

@testable import Gateway

/// The hand-written workflow JSON reads back as what `JSONEncoder` would have written.
@Suite struct JSONWriterTests {
    @Test func stringsOfEveryKindRoundTrip() throws {
        let samples = [
            "plain", "quote \" backslash \\ slash /", "line\nfeed\r\ttab", "\u{01}\u{1F}\u{7F}", "ünïcødé 🚀 \u{2028}",
            "",
        ]
        for sample in samples {
            var writer = JSONWriter()
            writer.raw("{")
            writer.field("value", first: true) { $0.string(sample) }
            writer.field("when") { $0.date(Date(timeIntervalSince1970: 1_795_928_584)) }
            writer.raw("}")
            let data = Data(writer.bytes)
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: String])
            #expect(object["value"] == sample)
            #expect(object["when"] == "2026-11-29T05:03:04Z")
            struct Reference: Encodable { var value: String }
            let encoder = JSONEncoder()
            let reference =
                try JSONSerialization.jsonObject(with: encoder.encode(Reference(value: sample))) as? [String: String]
            #expect(reference?["value"] == object["value"])
        }
    }

    @Test func datesAreWrittenAsTheISO8601FormatterWritesThem() throws {
        var samples: [Double] = [
            0, -1, -86_400, -86_401, 951_782_400, 951_868_799.999, 1_795_928_584.75, 253_402_300_799, -62_135_596_800,
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 { samples.append(Double.random(in: -62_000_000_000...253_000_000_000, using: &generator)) }
        for seconds in samples {
            let date = Date(timeIntervalSince1970: seconds)
            var writer = JSONWriter()
            writer.date(date)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == "\"\(date.formatted(.iso8601))\"", "\(seconds)")
        }
    }

    @Test func aStoredDefinitionThatIsNotAnObjectIsNotCopied() {
        #expect(WorkflowController.WorkflowDTO.storedJSON(#"{"trigger":{}}"#) == #"{"trigger":{}}"#)
        #expect(WorkflowController.WorkflowDTO.storedJSON("not json") == "{}")
    }
}
