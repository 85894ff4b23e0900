import AsyncHTTPClient
import Foundation
import JWTKit
import Logging
import Metrics
import NIOCore
import NIOFoundationCompat

/// Authorizer's signing keys from `/.well-known/jwks.json`.
///
/// A refetch (on a key the cache does not know) happens once for all concurrent callers and at
/// most every `minimumInterval`; while Authorizer is unreachable the last good keys stay in use.
public actor JWKSCache {
    /// One verification key: a collection holding just it as the default key, since Authorizer's
    /// tokens carry no `kid` (Authorizer 2.4, `internal/token/`).
    struct Key: Sendable {
        var algorithm: String
        var verifier: JWTKeyCollection
    }

    let url: String
    let http: HTTPClient
    let minimumInterval: Duration
    let logger: Logger
    private(set) var keys: [Key] = []
    private var lastAttempt: ContinuousClock.Instant?
    private var inFlight: Task<Bool, Never>?
    /// Successful fetches, for metrics and tests.
    public private(set) var fetchCount = 0

    public init(
        authorizerURL: String, http: HTTPClient = .shared, minimumInterval: Duration = .seconds(10),
        logger: Logger = Logger(label: "authorizer.jwks")
    ) {
        var base = authorizerURL
        while base.hasSuffix("/") { base.removeLast() }
        self.url = base + "/.well-known/jwks.json"
        self.http = http
        self.minimumInterval = minimumInterval
        self.logger = logger
    }

    /// The current keys, fetching them first if there are none yet.
    func current() async -> [Key] {
        if keys.isEmpty { _ = await refresh() }
        return keys
    }

    /// Whether there are keys now (the JWKS loaded at least once).
    public var isLoaded: Bool { !keys.isEmpty }

    /// Fetches the keys again unless a fetch ran less than `minimumInterval` ago; concurrent
    /// callers share one fetch. Returns whether new keys were loaded.
    @discardableResult
    public func refresh() async -> Bool {
        if let inFlight { return await inFlight.value }
        if let lastAttempt, ContinuousClock.now - lastAttempt < minimumInterval { return false }
        lastAttempt = .now
        let task = Task { await self.fetch() }
        inFlight = task
        let loaded = await task.value
        inFlight = nil
        return loaded
    }

    private func fetch() async -> Bool {
        do {
            let response = try await http.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
            guard response.status == .ok else {
                throw AuthorizerClientError.unavailable("JWKS HTTP \(response.status.code)")
            }
            let body = Data(buffer: try await response.body.collect(upTo: 1 << 20))
            let jwks = try JSONDecoder().decode(JWKS.self, from: body)
            var loaded: [Key] = []
            for jwk in jwks.keys {
                guard let algorithm = jwk.algorithm?.rawValue else { continue }
                let collection = try await JWTKeyCollection().add(jwk: jwk, isDefault: true)
                loaded.append(Key(algorithm: algorithm, verifier: collection))
            }
            keys = loaded
            fetchCount += 1
            Counter(label: "jwks_refresh_total", dimensions: [("outcome", "loaded")]).increment()
            return true
        } catch {
            Counter(label: "jwks_refresh_total", dimensions: [("outcome", "failed")]).increment()
            // Keep the last good keys: an Authorizer outage must not log everyone out.
            logger.warning("JWKS fetch failed; keeping the last good keys", metadata: ["error": "\(error)"])
            return false
        }
    }
}
