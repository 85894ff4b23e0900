import Foundation
import SQLKit

/// A row listed newest first with keyset pagination.
public protocol Pageable {
    var id: String { get }
    var createdAt: Date { get }
}
