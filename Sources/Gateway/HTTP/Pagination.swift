import AuthorizerClient
import ExtrasBase64
import Foundation
import Hummingbird
import PlatformDB

/// Opaque cursors and the `limit` parameter shared by every list.
enum Pagination {
    static func limit(_ text: String?) throws -> Int {
        guard let text else { return 20 }
        guard let value = Int(text), (1...100).contains(value) else {
            throw Problem.badRequest("'limit' must be 1–100", field: "limit")
        }
        return value
    }

    /// One page from `limit + 1` fetched rows: the first `limit`, mapped, and the cursor after the
    /// last of them when there is more.
    static func page<Row: Pageable, Item>(_ rows: [Row], limit: Int, _ map: (Row) -> Item) -> (
        items: [Item], next: String?
    ) {
        let page = rows.prefix(limit)
        let next = rows.count > limit ? page.last.map { encode(PageCursor(createdAt: $0.createdAt, id: $0.id)) } : nil
        return (page.map(map), next)
    }

    static func encode(_ cursor: PageCursor) -> String {
        let text = "\(cursor.createdAt.timeIntervalSince1970)|\(cursor.id)"
        return Base64.encodeToString(bytes: Array(text.utf8), options: [.base64UrlAlphabet, .omitPaddingCharacter])
    }

    static func decode(_ text: String) throws -> PageCursor {
        guard text.utf8.count <= 200,
            let data = try? Base64.decode(string: text, options: [.base64UrlAlphabet, .omitPaddingCharacter])
        else { throw malformed }
        let parts = String(decoding: data, as: UTF8.self).split(separator: "|", maxSplits: 1)
        // The date is checked before it can reach a conversion: PostgresNIO traps on a Date
        // beyond ±292,000 years (a cursor of "1e13|…" stopped the process).
        guard parts.count == 2, let seconds = TimeInterval(parts[0]), seconds.isFinite,
            Date.storableRange.contains(Date(timeIntervalSince1970: seconds)), Identifier.isWellFormed(parts[1])
        else {
            throw malformed
        }
        return PageCursor(createdAt: Date(timeIntervalSince1970: seconds), id: String(parts[1]))
    }

    static let malformed = Problem.badRequest("'cursor' is not a cursor this API gave out", field: "cursor")
}
