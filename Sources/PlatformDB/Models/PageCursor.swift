import Foundation
import SQLKit

/// Where a page of a list starts: after this row (keyset pagination, newest first).
public struct PageCursor: Sendable, Equatable {
    public var createdAt: Date
    public var id: String

    public init(createdAt: Date, id: String) {
        self.createdAt = createdAt
        self.id = id
    }

    /// The cursor's date, checked: a cursor comes from a client, and a date outside
    /// ``Foundation/Date/storableRange`` would trap in the driver. Throws ``PlatformDBError/invalidValue(_:)``.
    var storableCreatedAt: Date {
        get throws { try Date.storable(createdAt, "cursor date") }
    }
}
