import Foundation
import Logging
import PlatformDB
import SQLKit

/// The test fixtures kept in the repository, under `Tests/Fixtures/` (the tests read nothing
/// outside the repository): Authorizer's real schemas, copied from the reference beside the
/// project (`shared/authorizer/`).
public enum Fixtures {
    /// `Tests/Fixtures/authorizer/<name>`, found by walking up from the calling file.
    public static func authorizer(_ name: String, from file: String = #filePath) throws -> String {
        try text("authorizer/\(name)", from: file)
    }

    /// `Tests/Fixtures/<path>` as UTF-8 text, found by walking up from the calling file.
    public static func text(_ path: String, from file: String = #filePath) throws -> String {
        String(decoding: try data(path, from: file), as: UTF8.self)
    }

    /// `Tests/Fixtures/<path>`'s bytes, found by walking up from the calling file.
    public static func data(_ path: String, from file: String = #filePath) throws -> Data {
        var folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("Tests/Fixtures/\(path)")
            if FileManager.default.fileExists(atPath: candidate.path) { return try Data(contentsOf: candidate) }
            folder = folder.deletingLastPathComponent()
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Tests/Fixtures/\(path) above \(file)"])
    }

    /// The reference file `shared/authorizer/<name>` beside the repository (the folder that holds
    /// `Tests/Fixtures`, then `../shared`), or nil where it is absent, as in a clone elsewhere.
    public static func reference(_ name: String, from file: String = #filePath) -> URL? {
        var folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        while folder.path != "/" {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Tests/Fixtures").path) {
                let candidate = folder.deletingLastPathComponent().appendingPathComponent("shared/authorizer/\(name)")
                return FileManager.default.fileExists(atPath: candidate.path) ? candidate : nil
            }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }
}
