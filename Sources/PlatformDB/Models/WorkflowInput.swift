import Foundation
import SQLKit

/// The fields a workflow is created or changed with.
public struct WorkflowInput: Sendable {
    public var name: String?
    public var description: String??
    public var status: WorkflowStatus?
    public var definition: String?

    public init(
        name: String? = nil, description: String?? = nil, status: WorkflowStatus? = nil, definition: String? = nil
    ) {
        self.name = name
        self.description = description
        self.status = status
        self.definition = definition
    }
}
