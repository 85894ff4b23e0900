import AuthorizerClient
import Crypto
import CryptoExtras
import Foundation
import JWTKit

/// Keys generated on first start, kept so that tokens survive a restart.
struct KeyFolder {
    let path: String
    init(_ path: String) { self.path = path }

    func pem(named name: String, generate: () throws -> String) throws -> String {
        let file = URL(fileURLWithPath: path).appendingPathComponent(name)
        if let existing = try? String(contentsOf: file, encoding: .utf8) { return existing }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let pem = try generate()
        try Data(pem.utf8).write(to: file, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        return pem
    }
}
