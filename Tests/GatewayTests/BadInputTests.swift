import Crypto
import Foundation
import Gateway
import JWTKit
import PlatformDB
import Testing
import _CryptoExtras

/// Every malformed token and body is a 4xx problem, never a 500.
@Suite struct BadInputTests {
    struct Claims: JWTPayload {
        var values: [String: JSONValue]
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(values)
        }
        init(_ values: [String: JSONValue]) { self.values = values }
        init(from decoder: any Decoder) throws {
            values = try decoder.singleValueContainer().decode([String: JSONValue].self)
        }
        func verify(using algorithm: some JWTAlgorithm) throws {}
    }

    enum JSONValue: Codable, Sendable {
        case string(String), int(Int), strings([String])
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .string(let v): try container.encode(v)
            case .int(let v): try container.encode(v)
            case .strings(let v): try container.encode(v)
            }
        }
        init(from decoder: any Decoder) throws {
            self = .string(try decoder.singleValueContainer().decode(String.self))
        }
    }

    static func unb64(_ text: String) -> Data {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64) ?? Data()
    }

    static func b64(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The bad-token corpus, in every guard mode alike: 0 accepted, 0 5xx (issue 19). The forged
    /// tokens carry a live session's nonce, so that in remote and hybrid mode the refusal is the
    /// gateway's own check and not only Authorizer's missing session: Authorizer's
    /// `validate_jwt_token` compares no `token_type`, and Go's decoder lets the last of two equal
    /// claim names win (`service/validate_jwt_token.go`, golang-jwt v4).
    @Test(arguments: [GuardMode.local, .hybrid, .remote])
    func everyBadTokenIsRefusedWith401(_ mode: GuardMode) async throws {
        try await GatewayHarness.with(mode: mode) { h in
            let signup = try await h.signup("bad@example.com")
            let subject = try #require(signup.json["user"]["authorizerId"].string)
            _ = try await h.signup("other@example.com")
            let otherSubject = try #require(
                try await UserStore(h.database).find(email: "other@example.com")?.authorizerID)
            let good = try await h.login("bad@example.com")
            let goodClaims = try #require(
                try JSONSerialization.jsonObject(with: Self.unb64(String(good.split(separator: ".")[1])))
                    as? [String: Any])
            let nonce = try #require(goodClaims["nonce"] as? String)
            let now = Int(Date().timeIntervalSince1970)
            let base: [String: JSONValue] = [
                "iss": .string(h.authorizer.issuer), "aud": .string(h.authorizer.clientID), "sub": .string(subject),
                "iat": .int(now), "exp": .int(now + 600), "token_type": .string("access_token"),
                "nonce": .string(nonce),
                "roles": .strings(["user"]), "login_method": .string("basic_auth"),
            ]
            let realKey = try Insecure.RSA.PrivateKey(pem: h.signingKeyPEM)
            let signer = await JWTKeyCollection().add(rsa: realKey, digestAlgorithm: .sha256)
            func signed(_ changes: [String: JSONValue?]) async throws -> String {
                var claims = base
                for (key, value) in changes { claims[key] = value }
                return try await signer.sign(Claims(claims))
            }
            // Sanity: a token forged with the real key and right claims passes, so the refusals below
            // are for the reason each one names.
            #expect(try await h.request(.get, "/auth/me", bearer: try await signed([:])).status == .ok)
            // The scheme is case-insensitive (RFC 6750), and only the scheme.
            for scheme in ["bearer", "BEARER", "bEaReR"] {
                #expect(
                    try await h.request(.get, "/auth/me", authorization: ["\(scheme) \(good)"]).status == .ok,
                    "\(scheme)")
            }

            let foreignKey = try Insecure.RSA.PrivateKey(
                pem: _RSA.Signing.PrivateKey(keySize: .bits2048).pemRepresentation)
            let foreign = try await JWTKeyCollection().add(rsa: foreignKey, digestAlgorithm: .sha256).sign(Claims(base))
            let publicPEM = Data(realKey.publicKey.pemRepresentation.utf8)
            let hsWithPublicKey = try await JWTKeyCollection()
                .add(hmac: HMACKey(key: SymmetricKey(data: publicPEM)), digestAlgorithm: .sha256).sign(Claims(base))
            let parts = good.split(separator: ".").map(String.init)
            let noneHeader = Self.b64(Data(#"{"alg":"none","typ":"JWT"}"#.utf8))
            var tamperedPayload =
                Data(
                    base64Encoded: parts[1].padding(toLength: (parts[1].count + 3) / 4 * 4, withPad: "=", startingAt: 0)
                        .replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")) ?? Data()
            tamperedPayload = Data(
                String(decoding: tamperedPayload, as: UTF8.self).replacingOccurrences(of: "\"user\"", with: "\"admin\"")
                    .utf8)

            // Raw JSON signed with the real key: what no JSON encoder writes, two members of one name.
            let rsa = try _RSA.Signing.PrivateKey(pemRepresentation: h.signingKeyPEM)
            func rawSigned(header: String = #"{"alg":"RS256","typ":"JWT"}"#, _ payload: String) throws -> String {
                let input = Self.b64(Data(header.utf8)) + "." + Self.b64(Data(payload.utf8))
                let signature = try rsa.signature(for: SHA256.hash(data: Data(input.utf8)), padding: .insecurePKCS1v1_5)
                return input + "." + Self.b64(signature.rawRepresentation)
            }
            let claimsText =
                #""iss":"\#(h.authorizer.issuer)","aud":"\#(h.authorizer.clientID)","iat":\#(now),"exp":\#(now + 600),"token_type":"access_token","nonce":"\#(nonce)","roles":["user"],"login_method":"basic_auth""#
            let cleanRaw = try rawSigned(#"{"sub":"\#(subject)",\#(claimsText)}"#)
            #expect(try await h.request(.get, "/auth/me", bearer: cleanRaw).status == .ok, "the raw signer is sound")

            let cases: [(String, [String])] = [
                (
                    "two subs, the last another user's",
                    ["Bearer \(try rawSigned(#"{"sub":"\#(subject)",\#(claimsText),"sub":"\#(otherSubject)"}"#))"]
                ),
                (
                    "two subs, escaped",
                    ["Bearer \(try rawSigned(#"{"sub":"\#(otherSubject)",\#(claimsText),"\u0073ub":"\#(subject)"}"#))"]
                ),
                (
                    "two token types",
                    ["Bearer \(try rawSigned(#"{"sub":"\#(subject)",\#(claimsText),"token_type":"id_token"}"#))"]
                ),
                (
                    "two algs in the header",
                    [
                        "Bearer \(try rawSigned(header: #"{"alg":"none","alg":"RS256"}"#, #"{"sub":"\#(subject)",\#(claimsText)}"#))"
                    ]
                ),
                ("nbf an hour ahead", ["Bearer \(try await signed(["nbf": .int(now + 3600)]))"]),
                ("iat an hour ahead", ["Bearer \(try await signed(["iat": .int(now + 3600)]))"]),
                ("no token_type", ["Bearer \(try await signed(["token_type": nil]))"]),
                ("no exp", ["Bearer \(try await signed(["exp": nil]))"]),
                ("alg none", ["Bearer \(noneHeader).\(parts[1])."]),
                ("HS256 signed with the RS public key", ["Bearer \(hsWithPublicKey)"]),
                ("expired", ["Bearer \(try await signed(["exp": .int(now - 120), "iat": .int(now - 900)]))"]),
                ("not yet valid", ["Bearer \(try await signed(["nbf": .int(now + 600)]))"]),
                ("issued in the future", ["Bearer \(try await signed(["iat": .int(now + 600)]))"]),
                ("wrong iss", ["Bearer \(try await signed(["iss": .string("https://evil.example")]))"]),
                ("wrong aud", ["Bearer \(try await signed(["aud": .string("someone-else")]))"]),
                ("id token", ["Bearer \(try await signed(["token_type": .string("id_token")]))"]),
                ("refresh token", ["Bearer \(try await signed(["token_type": .string("refresh_token")]))"]),
                ("payload tampered", ["Bearer \(parts[0]).\(Self.b64(tamperedPayload)).\(parts[2])"]),
                ("signature stripped", ["Bearer \(parts[0]).\(parts[1])."]),
                ("foreign key", ["Bearer \(foreign)"]),
                ("truncated", ["Bearer \(good.dropLast(10))"]),
                ("100 KB of garbage", ["Bearer " + String(repeating: "A", count: 100_000)]),
                ("empty bearer", ["Bearer "]),
                ("no header", []),
                ("another scheme", ["Basic dXNlcjpwYXNz"]),
                ("a longer scheme", ["Bearerx \(good)"]),
                ("two tokens in one header", ["Bearer \(good), Bearer \(good)"]),
                ("two Authorization headers", ["Bearer \(good)", "Bearer \(good)"]),
            ]
            for (name, authorization) in cases {
                let reply = try await h.request(.get, "/auth/me", authorization: authorization)
                #expect(reply.status == .unauthorized, "\(mode) \(name): \(reply.status) \(reply.text)")
                #expect(reply.headers[.contentType] == "application/problem+json", "\(name)")
            }
            // The session lives on: the refusals above ended nothing.
            #expect(try await h.request(.get, "/auth/me", bearer: good).status == .ok)
        }
    }

    @Test func badBodiesAreProblemsNamingTheField() async throws {
        try await GatewayHarness.with(mode: .local) { h in
            let cases: [(String, Data, String?)] = [
                ("malformed JSON", Data("{not json".utf8), nil),
                ("not an object", Data("[1,2]".utf8), nil),
                ("missing password", Data(#"{"email":"a@b.co"}"#.utf8), "password"),
                ("wrong type", Data(#"{"email":42,"password":"x"}"#.utf8), "email"),
                ("unknown field", Data(#"{"email":"a@b.co","password":"x","admin":true}"#.utf8), "admin"),
                ("empty email", Data(#"{"email":"  ","password":"x"}"#.utf8), "email"),
                ("NUL in a string", Data(#"{"email":"a\u0000@b.co","password":"x"}"#.utf8), "email"),
            ]
            for (name, body, field) in cases {
                let reply = try await h.request(.post, "/auth/login", body: body)
                #expect(reply.status == .badRequest, "\(name): \(reply.status) \(reply.text)")
                #expect(reply.headers[.contentType] == "application/problem+json")
                if let field { #expect(reply.json["field"].string == field, "\(name)") }
            }
            let huge = Data(("{\"email\":\"" + String(repeating: "a", count: 100_000) + "\"}").utf8)
            #expect(try await h.request(.post, "/auth/login", body: huge).status == .contentTooLarge)
            let invitation = try await h.request(
                .post, "/auth/signup",
                json: ["email": "i@example.com", "password": "x", "confirmPassword": "x", "invitationToken": "t"])
            #expect(invitation.json["field"].string == "invitationToken")

            // U+0000 deep in a workflow definition: neither database stores it, so it is a 400 naming the path.
            try await h.signup("nul@example.com", clientName: "Nul")
            let token = try await h.login("nul@example.com")
            let workflow = Data(
                #"{"name":"W","definition":{"trigger":{"type":"manual"},"steps":[{"type":"a\u0000"}]}}"#.utf8)
            let refused = try await h.request(.post, "/workflows", body: workflow, bearer: token)
            #expect(refused.status == .badRequest, "\(refused.text)")
            #expect(refused.json["field"].string == "definition.steps[0].type")
        }
    }
}
