import AsyncHTTPClient
import AuthorizerClient
import Foundation
import GraphQL
import JWTKit
import TestSupport
import Testing

@testable import LocalAuthorizer

@Suite struct TokenAndSchemaTests {
    struct AccessPayload: JWTPayload {
        var sub: SubjectClaim
        var exp: ExpirationClaim
        var aud: AudienceClaim
        var iss: IssuerClaim
        var token_type: String
        var roles: [String]
        func verify(using algorithm: some JWTAlgorithm) throws { try exp.verifyNotExpired() }
    }

    @Test(arguments: [AuthorizerConfiguration.JWTType.rs256, .es256])
    func asymmetricTokensVerifyIndependentlyThroughTheServedJWKS(_ type: AuthorizerConfiguration.JWTType) async throws {
        try await Harness.with(jwtType: type) { h in
            let token = try #require(try await h.signup("rsa@example.com")["access_token"].string)
            let jwks = try await h.client.execute(uri: "/.well-known/jwks.json", method: .get) {
                String(buffer: $0.body)
            }
            let keys = JSON(parsing: jwks)["keys"].array
            #expect(keys.count == 1)
            #expect(keys.first?["kid"].string == "test-client")
            #expect(keys.first?["alg"].string == type.rawValue)
            #expect(keys.first?["use"].string == "sig")

            let header = JSON(
                parsing: String(
                    decoding: Data(base64URLEncoded: String(token.split(separator: ".")[0]))!, as: UTF8.self))
            #expect(header["kid"].isNull, "Authorizer's tokens carry no kid")
            #expect(header["alg"].string == type.rawValue)

            // An independent verifier: jwt-kit with nothing but the served JWKS. Authorizer's
            // tokens have no kid, so the served key is made the default one.
            let jwk = try JSONDecoder().decode(JWK.self, from: Data(JSON(parsing: jwks)["keys"][0].jsonText.utf8))
            let verifier = try await JWTKeyCollection().add(jwk: jwk, isDefault: true)
            let payload = try await verifier.verify(token, as: AccessPayload.self)
            #expect(payload.token_type == "access_token")
            #expect(payload.aud.value == ["test-client"])
            #expect(payload.iss.value == h.configuration.issuer)

            let discovery = try await h.client.execute(uri: "/.well-known/openid-configuration", method: .get) {
                JSON(parsing: String(buffer: $0.body))
            }
            #expect(discovery["jwks_uri"].string == h.configuration.issuer + "/.well-known/jwks.json")
            #expect(discovery["id_token_signing_alg_values_supported"][0].string == type.rawValue)
        }
    }

    @Test func hs256PublishesNoKeysAndRefusesOtherAlgorithms() async throws {
        try await Harness.with { h in
            let jwks = try await h.client.execute(uri: "/.well-known/jwks.json", method: .get) {
                String(buffer: $0.body)
            }
            #expect(JSON(parsing: jwks)["keys"].array.isEmpty)
            let token = try #require(try await h.signup("hs@example.com")["access_token"].string)
            let parts = token.split(separator: ".")
            let noneHeader = Data(#"{"alg":"none","typ":"JWT"}"#.utf8).base64URLEncodedString()
            // The JWT library's own words, with no code (golang-jwt v4, internal/token/jwt.go).
            for (forged, message) in [
                ("\(noneHeader).\(parts[1]).", "unexpected signing method: none"),
                ("\(parts[0]).\(parts[1]).", "signature is invalid"),
                ("\(parts[0]).\(parts[1])x.\(parts[2])", "signature is invalid"),
                ("garbage", "token contains an invalid number of segments"),
            ] {
                let reply = try await h.validate(forged)
                #expect(reply.json["errors"][0]["message"].string == message, "accepted \(forged)")
                #expect(reply.json["errors"][0]["extensions"].isNull)
            }
        }
    }
}

/// Go's `encoding/json` (golang-jwt's claims map, `internal/token/jwt.go`) lets the last of two
/// equal member names win; the twin reads a token's claims the same way. Before, it kept the first,
/// so a token with two `sub` judged by the twin named another user than Authorizer would.
@Suite struct DuplicateClaimTests {
    @Test func theLastOfTwoEqualClaimNamesWins() async throws {
        try await Harness.with { h in
            let token = try #require(try await h.signup("twice@example.com")["access_token"].string)
            let parts = token.split(separator: ".").map(String.init)
            let payload = String(decoding: try #require(HMACJWT.base64URLDecoded(parts[1])), as: UTF8.self)
            let secret = try #require(h.configuration.jwtSecret)
            func forge(_ text: String) throws -> String {
                try #require(
                    HMACJWT.sign(
                        header: Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8), payload: Data(text.utf8),
                        algorithm: "HS256", secret: secret))
            }
            // Another `sub` first, the session's own last: Go reads the session's, and it is valid.
            let subFirst = try forge(#"{"sub":"intruder","# + payload.dropFirst())
            let valid = try await h.validate(subFirst)
            #expect(valid.json["data"]["validate_jwt_token"]["is_valid"].bool == true, "\(valid.text)")
            #expect(valid.json["data"]["validate_jwt_token"]["claims"]["sub"].string != "intruder")
            // The session's `sub` first, another last: Go reads the other, and no session matches.
            let subLast = try forge(payload.dropLast() + #","sub":"intruder"}"#)
            let refused = try await h.validate(subLast)
            #expect(refused.json["data"].isNull, "\(refused.text)")
            // And the claims it answers are the last ones.
            let nick = try forge(payload.dropLast() + #","nickname":"first","nickname":"last"}"#)
            let claims = try await h.validate(nick).json["data"]["validate_jwt_token"]["claims"]
            #expect(claims["nickname"].string == "last", "\(claims)")
        }
    }
}

extension JSON {
    /// The value written back as JSON text.
    var jsonText: String {
        guard let value, let data = try? JSONSerialization.data(withJSONObject: value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}

@Suite struct KeyConfigurationTests {
    @Test func aMismatchedPublicKeyIsRefusedAndAGeneratedKeyIsKept() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)").path
        var configuration = AuthorizerConfiguration(clientID: "c", clientSecret: "s", adminSecret: "a")
        configuration.jwtType = .es256
        configuration.dataFolder = folder
        let first = try await TokenService.make(configuration)
        let second = try await TokenService.make(configuration)
        #expect(first.jwksJSON == second.jwksJSON, "the generated key is reused from the data folder")

        configuration.jwtPublicKey = ES256PrivateKey().publicKey.pemRepresentation
        await #expect(throws: AuthorizerSetupError.self) { try await TokenService.make(configuration) }
        configuration.jwtType = .hs256
        await #expect(throws: AuthorizerSetupError.self) { try await TokenService.make(configuration) }
    }
}
