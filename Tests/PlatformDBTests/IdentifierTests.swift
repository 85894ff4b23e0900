import Foundation
import PlatformDB
import Testing

@Suite struct IdentifierTests {
    @Test func idsAreUniqueAndWellFormed() {
        let ids = (0..<100_000).map { _ in Identifier.make() }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { Identifier.isWellFormed($0) })
    }

    @Test func idsMadeInTheSameMillisecondDifferInTheirRandomPart() {
        let now = Date(timeIntervalSince1970: 1_733_107_200)
        let a = Identifier.make(now: now)
        let b = Identifier.make(now: now)
        #expect(a.prefix(10) == b.prefix(10))  // same time prefix
        #expect(a.dropFirst(10) != b.dropFirst(10))  // 80 random bits differ
    }

    @Test func malformedIdsAreRecognised() {
        #expect(!Identifier.isWellFormed("1"))
        #expect(!Identifier.isWellFormed("c" + String(repeating: "A", count: 25)))
        #expect(!Identifier.isWellFormed("' OR 1=1 --"))
    }
}
