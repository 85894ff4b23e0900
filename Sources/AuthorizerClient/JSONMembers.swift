import Crypto
import ExtrasBase64
import Foundation

/// Member names of JSON objects. Authorizer decodes a token with Go's `encoding/json`, where the
/// last of two equal names wins; jwt-kit and Foundation may keep another. A token whose header or
/// claims repeat a name is therefore refused, so that no two readers can disagree about it.
public enum JSONMembers {
    /// Whether some object in `data` names a member twice (after unescaping); nil when `data` is
    /// not JSON text this scanner can follow.
    public static func hasDuplicateNames(_ data: Data) -> Bool? {
        let bytes = [UInt8](data)
        var objects: [Set<String>?] = []  // nil for an array
        var expectingName = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                let start = index
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                guard index < bytes.count else { return nil }
                if expectingName, let last = objects.indices.last, objects[last] != nil {
                    guard let name = try? JSONDecoder().decode(String.self, from: Data(bytes[start...index])) else {
                        return nil
                    }
                    if objects[last]?.insert(name).inserted == false { return true }
                    expectingName = false
                }
            case UInt8(ascii: "{"):
                objects.append([])
                expectingName = true
            case UInt8(ascii: "["):
                objects.append(nil)
                expectingName = false
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard !objects.isEmpty else { return nil }
                objects.removeLast()
                expectingName = false
            case UInt8(ascii: ","):
                expectingName = objects.last.map { $0 != nil } ?? false
            default:
                break
            }
            index += 1
        }
        return objects.isEmpty ? false : nil
    }
}
