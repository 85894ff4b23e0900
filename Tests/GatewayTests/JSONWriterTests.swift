import Foundation
import Testing

@testable import Gateway

/// The hand-written workflow JSON reads back as what `JSONEncoder` would have written.
@Suite struct JSONWriterTests {
    @Test func stringsOfEveryKindRoundTrip() throws {
        let samples = ["plain", "quote \" backslash \\ slash /", "line\nfeed\r\ttab", "\u{01}\u{1F}\u{7F}", "ünïcødé 🚀 \u{2028}", ""]
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
            let reference = try JSONSerialization.jsonObject(with: encoder.encode(Reference(value: sample))) as? [String: String]
            #expect(reference?["value"] == object["value"])
        }
    }

    @Test func aStoredDefinitionThatIsNotAnObjectIsNotCopied() {
        #expect(WorkflowController.WorkflowDTO.storedJSON(#"{"trigger":{}}"#) == #"{"trigger":{}}"#)
        #expect(WorkflowController.WorkflowDTO.storedJSON("not json") == "{}")
    }
}
