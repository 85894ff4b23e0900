import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Authorizer 2.4's rule for webhook endpoints (`internal/validators/endpoint.go`,
/// `ValidateEndpointURL`, and `safe_http.go` at delivery): http or https, a host, and no resolved
/// address in a loopback, private, link-local, shared, documentation, benchmark, multicast or
/// reserved range, unless the server runs with `--env=e2e`.
enum EndpointPolicy {
    /// The reason `endpoint` is refused, in Authorizer's words, or nil when it may be called.
    static func refusal(_ endpoint: String, allowPrivate: Bool) async -> String? {
        guard let url = URLComponents(string: endpoint), let scheme = url.scheme?.lowercased(),
            ["http", "https"].contains(scheme)
        else { return "only http and https schemes are allowed" }
        guard var host = url.host, !host.isEmpty else { return "missing host" }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let addresses: [[UInt8]]
        do {
            addresses = try await resolve(host)
        } catch {
            return "failed to resolve host: \(error)"
        }
        if !allowPrivate, addresses.contains(where: isPrivate) {
            return "requests to private/internal networks are not allowed"
        }
        return nil
    }

    /// The message Authorizer logs for a delivery it refuses (`internal/events/events.go`).
    static func deliveryRefusal(_ reason: String) -> String { #"{"error": "SSRF validation failed: \#(reason)"}"# }

    struct ResolutionError: Error, CustomStringConvertible {
        var description: String
    }

    /// The host's addresses as 4 or 16 bytes; an IP literal is itself.
    static func resolve(_ host: String) async throws -> [[UInt8]] {
        if let literal = literal(host) { return [literal] }
        return try await Task.detached {
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var result: UnsafeMutablePointer<addrinfo>?
            let status = getaddrinfo(host, nil, &hints, &result)
            guard status == 0, let first = result else {
                throw ResolutionError(description: "lookup \(host): \(String(cString: gai_strerror(status)))")
            }
            defer { freeaddrinfo(first) }
            var addresses: [[UInt8]] = []
            var cursor: UnsafeMutablePointer<addrinfo>? = first
            while let entry = cursor {
                if let address = entry.pointee.ai_addr {
                    switch Int32(address.pointee.sa_family) {
                    case AF_INET:
                        address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                            addresses.append(withUnsafeBytes(of: $0.pointee.sin_addr) { Array($0) })
                        }
                    case AF_INET6:
                        address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                            addresses.append(withUnsafeBytes(of: $0.pointee.sin6_addr) { Array($0) })
                        }
                    default: break
                    }
                }
                cursor = entry.pointee.ai_next
            }
            return addresses
        }.value
    }

    private static func literal(_ host: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 { return withUnsafeBytes(of: v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 { return withUnsafeBytes(of: v6) { Array($0) } }
        return nil
    }

    /// The ranges of `isPrivateIP` (`internal/validators/endpoint.go`), as prefix and length.
    private static let v4Ranges: [([UInt8], Int)] = [
        ([10, 0, 0, 0], 8), ([172, 16, 0, 0], 12), ([192, 168, 0, 0], 16), ([127, 0, 0, 0], 8), ([169, 254, 0, 0], 16),
        ([100, 64, 0, 0], 10), ([0, 0, 0, 0], 8), ([192, 0, 0, 0], 24), ([192, 0, 2, 0], 24), ([198, 51, 100, 0], 24),
        ([203, 0, 113, 0], 24), ([198, 18, 0, 0], 15), ([192, 88, 99, 0], 24), ([224, 0, 0, 0], 4),
        ([240, 0, 0, 0], 4),
    ]
    private static let v6Ranges: [([UInt8], Int)] = [
        ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 128), ([0xfc], 7), ([0xfe, 0x80], 10), ([0x20, 0x02], 16),
        ([0x20, 0x01, 0, 0], 32), ([0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0], 96),
        ([0, 0x64, 0xff, 0x9b, 0, 1], 48),
        ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 128), ([1, 0, 0, 0, 0, 0, 0, 0], 64),
    ]

    /// Whether `address` (4 or 16 bytes) lies in a refused range; an IPv4-mapped IPv6 address is
    /// judged as its IPv4 address, as Go's `IPNet.Contains` does.
    static func isPrivate(_ address: [UInt8]) -> Bool {
        if address.count == 16, address[0..<10].allSatisfy({ $0 == 0 }), address[10] == 0xff, address[11] == 0xff {
            return isPrivate(Array(address[12...]))
        }
        let ranges = address.count == 4 ? v4Ranges : v6Ranges
        return ranges.contains { prefix, length in
            var remaining = length
            for (index, byte) in address.enumerated() where remaining > 0 {
                let wanted = index < prefix.count ? prefix[index] : 0
                let bits = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xff << (8 - bits))
                if byte & mask != wanted & mask { return false }
                remaining -= bits
            }
            return true
        }
    }
}
