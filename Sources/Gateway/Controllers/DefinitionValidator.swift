import AuthorizerClient
import Foundation
import Hummingbird
import PlatformDB

/// A workflow definition: an object with a `trigger` object and a `steps` array of objects,
/// each naming its `type`. Errors name the path.
enum DefinitionValidator {
    static func validate(_ definition: JSONValue) throws {
        guard case .object(let root) = definition else { throw problem("definition", "must be an object") }
        guard case .object(let trigger)? = root["trigger"] else {
            throw problem("definition.trigger", "must be an object")
        }
        guard case .string(let type)? = trigger["type"], !type.isEmpty else {
            throw problem("definition.trigger.type", "must be a non-empty string")
        }
        guard case .array(let steps)? = root["steps"] else { throw problem("definition.steps", "must be an array") }
        for (index, step) in steps.enumerated() {
            guard case .object(let fields) = step else {
                throw problem("definition.steps[\(index)]", "must be an object")
            }
            guard case .string(let type)? = fields["type"], !type.isEmpty else {
                throw problem("definition.steps[\(index)].type", "must be a non-empty string")
            }
        }
    }

    static func problem(_ path: String, _ message: String) -> Problem {
        Problem.badRequest("'\(path)' \(message)", field: path)
    }
}
