import ArgumentParser
import Foundation
import Gateway
import Hummingbird
import LocalAuthorizer
import Logging
import PlatformDB
import ServiceLifecycle

/// Secrets generated on the first `platform dev` and kept (mode 0600) so tokens survive restarts.
struct DevSecrets: Codable {
    var clientSecret: String
    var adminSecret: String

    static func loadOrCreate(at path: String) throws -> DevSecrets {
        let url = URL(fileURLWithPath: path)
        if let data = try? Data(contentsOf: url), let secrets = try? JSONDecoder().decode(DevSecrets.self, from: data) {
            return secrets
        }
        let secrets = DevSecrets(clientSecret: random(), adminSecret: random())
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try JSONEncoder().encode(secrets).write(to: url, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return secrets
    }

    private static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }.lowercaseHex
    }
}
