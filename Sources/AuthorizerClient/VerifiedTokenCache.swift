import Crypto
import Foundation
import Synchronization

/// The claims of tokens whose signature was already checked, keyed by the SHA-256 of the token
/// (the tokens themselves are not kept). A hit skips the signature and the JSON of the claims;
/// the claims are still checked (expiry, issuer, audience, type) on every use, and revocation is
/// the caller's check after that. Bounded: at `capacity` the expired entries go, and if that is
/// not enough, all of them.
final class VerifiedTokenCache: Sendable {
    private struct Entry {
        var claims: [String: JSONValue]
        var expiresAt: Double
    }

    let capacity: Int
    private let entries = Mutex<[SHA256Digest: Entry]>([:])

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    static func key(_ token: String) -> SHA256Digest {
        SHA256.hash(data: Data(token.utf8))
    }

    func claims(for key: SHA256Digest) -> [String: JSONValue]? {
        entries.withLock { $0[key]?.claims }
    }

    func insert(_ claims: [String: JSONValue], for key: SHA256Digest, now: Date) {
        guard let exp = claims["exp"]?.number else { return }
        let nowSeconds = now.timeIntervalSince1970
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { $0.value.expiresAt > nowSeconds }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[key] = Entry(claims: claims, expiresAt: exp)
        }
    }

    /// Forgets every entry: the keys changed, so each token is verified again.
    func removeAll() {
        entries.withLock { $0.removeAll() }
    }

    var count: Int { entries.withLock { $0.count } }
}
