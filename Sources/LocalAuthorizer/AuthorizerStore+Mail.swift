import Crypto
import Foundation
import PlatformDB
import SQLKit

/// A message this server would have emailed; there is no SMTP here, so it lands in the outbox.
struct OutboxMessage: Sendable, Encodable {
    var id: String
    var recipient: String
    var kind: String
    var link: String
    /// A mailed one-time code (`email_otp`), else nil.
    var code: String?
    var createdAt: Int64

    private enum CodingKeys: String, CodingKey {
        case id, recipient = "to", kind, link, code, createdAt = "created_at"
    }

    /// An id that sorts in sending order (the outbox is read by `created_at`, then `id`): the
    /// wall clock in nanoseconds, then a UUID.
    static func newID() -> String {
        let nanos = UInt64(Date().timeIntervalSince1970 * 1_000_000_000)
        let digits = String(nanos)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + "-"
            + UUID().uuidString.lowercased()
    }
}

extension AuthorizerStore {
    /// Stores a one-time token (as a hash) for `kind` and returns the token itself.
    func makeVerification(kind: String, userID: String, expiresAt: Int64, scope: [String]? = nil) async throws
        -> String
    {
        let token = Self.randomToken()
        try await database.withConnection { sql in
            try await sql.insert(into: "authorizer_verification_requests")
                .columns("token_hash", "kind", "user_id", "expires_at", "scope")
                .values(
                    SQLBind(Self.hash(token)), SQLBind(kind), SQLBind(userID), SQLBind(expiresAt),
                    SQLBind(scope?.joined(separator: " "))
                )
                .run()
        }
        return token
    }

    /// Consumes a one-time token: the user id when it is known, of `kind` and unexpired; deleted
    /// in the same statement, so two concurrent uses cannot both succeed.
    func consumeVerification(_ token: String, kind: String, now: Int64) async throws -> String? {
        try await database.withConnection { sql in
            try await sql.delete(from: "authorizer_verification_requests")
                .where("token_hash", .equal, SQLBind(Self.hash(token)))
                .where("kind", .equal, SQLBind(kind))
                .where("expires_at", .greaterThan, SQLBind(now))
                .returning("user_id")
                .first()?.decode(column: "user_id", as: String.self)
        }
    }

    /// The user (and the scope asked with it) of an unexpired one-time token of `kind`, which
    /// stays usable.
    func verificationUser(_ token: String, kind: String, now: Int64) async throws -> (id: String, scope: [String]?)? {
        try await database.withConnection { sql in
            guard
                let row = try await sql.select().columns("user_id", "scope").from("authorizer_verification_requests")
                    .where("token_hash", .equal, SQLBind(Self.hash(token))).where("kind", .equal, SQLBind(kind))
                    .where("expires_at", .greaterThan, SQLBind(now)).first()
            else { return nil }
            return (
                try row.decode(column: "user_id", as: String.self),
                try row.decode(column: "scope", as: String?.self)?.split(separator: " ").map(String.init)
            )
        }
    }

    /// Whether `userID` has an unexpired request of `kind`; expired ones are deleted on the way.
    func hasLiveVerification(userID: String, kind: String, now: Int64) async throws -> Bool {
        try await database.withConnection { sql in
            try await sql.delete(from: "authorizer_verification_requests")
                .where("user_id", .equal, SQLBind(userID)).where("kind", .equal, SQLBind(kind))
                .where("expires_at", .lessThanOrEqual, SQLBind(now))
                .run()
            return try await sql.select().column("token_hash").from("authorizer_verification_requests")
                .where("user_id", .equal, SQLBind(userID)).where("kind", .equal, SQLBind(kind))
                .limit(1).first() != nil
        }
    }

    func addToOutbox(_ message: OutboxMessage) async throws {
        try await database.withConnection { sql in
            try await sql.insert(into: "authorizer_outbox")
                .columns("id", "recipient", "kind", "link", "code", "created_at")
                .values(
                    SQLBind(message.id), SQLBind(message.recipient), SQLBind(message.kind), SQLBind(message.link),
                    SQLBind(message.code), SQLBind(message.createdAt)
                )
                .run()
        }
    }

    func outbox() async throws -> [OutboxMessage] {
        try await database.withConnection { sql in
            try await sql.select().column("*").from("authorizer_outbox").orderBy("created_at").orderBy("id").all().map {
                OutboxMessage(
                    id: try $0.decode(column: "id", as: String.self),
                    recipient: try $0.decode(column: "recipient", as: String.self),
                    kind: try $0.decode(column: "kind", as: String.self),
                    link: try $0.decode(column: "link", as: String.self),
                    code: try $0.decode(column: "code", as: String?.self),
                    createdAt: try $0.decode(column: "created_at", as: Int64.self))
            }
        }
    }

    /// 256 bits from the system CSPRNG, URL-safe.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64URLEncodedString()
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).lowercaseHex
    }
}
