import Foundation

/// Finds `shared/authorizer/<name>`: the project's `shared/` sits beside the checkout (`../shared`),
/// so the search walks up from this file until it finds it.
enum SharedFiles {
    static func authorizer(_ name: String, from file: String = #filePath) throws -> String {
        var folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("shared/authorizer/\(name)")
            if FileManager.default.fileExists(atPath: candidate.path) { return try String(contentsOf: candidate, encoding: .utf8) }
            folder = folder.deletingLastPathComponent()
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "shared/authorizer/\(name) above \(file)"])
    }
}
