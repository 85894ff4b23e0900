import Crypto
import Foundation
import Gateway
import PlatformDB
import SQLKit
import Testing

/// The gateway drives Authorizer 2.4's second factors (issue 21) against the local Authorizer
/// with MFA on, over real HTTP: signup and login answer 202 with the next step and a handle, and
/// `/auth/mfa/*` completes it. Authorizer's rules: `internal/service/login.go`, `verify_otp.go`,
/// `skip_mfa_setup.go` (tag 2.4.0).
@Suite struct MFAFlowTests {
    /// RFC 6238 (HMAC-SHA1, 6 digits, 30 s), written apart from the local Authorizer's own.
    static func totp(_ secret: String, at time: Date = Date()) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var bits = 0
        var value = 0
        var key = [UInt8]()
        for character in secret {
            value = (value << 5 | (alphabet.firstIndex(of: character) ?? 0)) & 0xFFFF
            bits += 5
            if bits >= 8 {
                key.append(UInt8((value >> (bits - 8)) & 0xFF))
                bits -= 8
            }
        }
        let counter = UInt64(time.timeIntervalSince1970) / 30
        let mac = Array(
            HMAC<Insecure.SHA1>.authenticationCode(
                for: withUnsafeBytes(of: counter.bigEndian) { Data($0) }, using: SymmetricKey(data: key)))
        let offset = Int(mac[19] & 0x0F)
        let number =
            (UInt32(mac[offset] & 0x7F) << 24 | UInt32(mac[offset + 1]) << 16 | UInt32(mac[offset + 2]) << 8
                | UInt32(mac[offset + 3])) % 1_000_000
        let text = String(number)
        return String(repeating: "0", count: 6 - text.count) + text
    }

    @Test func signupEnrolsTOTPThenSignInTakesACodeOnceAndARecoveryCodeOnce() async throws {
        try await GatewayHarness.with(mode: .hybrid, authorizerConfigure: { $0.disableMFA = false }) { h in
            let signup = try await h.signup("totp@example.com", clientName: "MFA Co")
            #expect(signup.status == .accepted, "\(signup.text)")
            let next = signup.json["next"]
            #expect(next["step"].string == "mfa-enrol")
            #expect(next["methods"].array.map(\.string) == ["totp", "email"])
            #expect(next["canSkip"].bool == true)
            #expect(next["totp"]["scannerImage"].string?.hasPrefix("data:image/png;base64,iVBOR") == true)
            let secret = try #require(next["totp"]["secret"].string)
            let recovery = next["totp"]["recoveryCodes"].array.compactMap(\.string)
            #expect(recovery.count == 10)
            let handle = try #require(next["handle"].string)
            #expect(!signup.text.contains("mfa_session"), "Authorizer's MFA cookie stays with the gateway")

            let code = Self.totp(secret)
            let wrong = try await h.request(
                .post, "/auth/mfa/verify", json: ["handle": handle, "code": code == "000000" ? "111111" : "000000"])
            #expect(wrong.status == .unauthorized && wrong.json["type"].string?.hasSuffix("invalid-code") == true)
            #expect(wrong.json["field"].string == "code")
            let enrolled = try await h.request(.post, "/auth/mfa/verify", json: ["handle": handle, "code": code])
            #expect(enrolled.status == .ok, "\(enrolled.text)")
            #expect(enrolled.json["user"]["role"].string == "ADMIN", "the company asked for at signup is made")
            let access = try #require(enrolled.json["accessToken"].string)
            let tenant = try await h.request(.get, "/clients/current", bearer: access)
            #expect(tenant.json["name"].string == "MFA Co", "\(tenant.text)")
            // The handle is spent.
            let again = try await h.request(.post, "/auth/mfa/verify", json: ["handle": handle, "code": code])
            #expect(again.status == .unauthorized && again.json["type"].string?.hasSuffix("challenge-expired") == true)

            // Signing in again asks for a code; the one just used is refused (replay).
            let login = try await h.request(
                .post, "/auth/login", json: ["email": "totp@example.com", "password": GatewayHarness.password])
            #expect(login.status == .accepted, "\(login.text)")
            #expect(login.json["next"]["step"].string == "mfa-verify")
            #expect(login.json["next"]["methods"].array.map(\.string) == ["totp", "recovery-code"])
            #expect(login.json["next"]["totp"].isNull)
            let second = try #require(login.json["next"]["handle"].string)
            let replay = try await h.request(.post, "/auth/mfa/verify", json: ["handle": second, "code": code])
            #expect(replay.status == .unauthorized && replay.json["type"].string?.hasSuffix("invalid-code") == true)
            let recovered = try await h.request(
                .post, "/auth/mfa/recovery", json: ["handle": second, "code": recovery[0]])
            #expect(recovered.status == .ok, "\(recovered.text)")

            let third = try #require(
                try await h.request(
                    .post, "/auth/login", json: ["email": "totp@example.com", "password": GatewayHarness.password]
                ).json["next"]["handle"].string)
            let reused = try await h.request(.post, "/auth/mfa/recovery", json: ["handle": third, "code": recovery[0]])
            #expect(reused.status == .unauthorized && reused.json["detail"].string?.contains("recovery code") == true)
            // No email code at a TOTP verification, and no skipping once enrolled.
            #expect(try await h.request(.post, "/auth/mfa/email", json: ["handle": third]).status == .conflict)
            let skip = try await h.request(.post, "/auth/mfa/skip", json: ["handle": third])
            #expect(skip.status == .conflict && skip.json["type"].string?.hasSuffix("wrong-step") == true)
        }
    }

    @Test func anUnknownOrMalformedHandleIsRefusedClearly() async throws {
        try await GatewayHarness.with(mode: .hybrid, authorizerConfigure: { $0.disableMFA = false }) { h in
            let unknown = try await h.request(
                .post, "/auth/mfa/verify", json: ["handle": "no-such-handle", "code": "123456"])
            #expect(unknown.status == .unauthorized)
            #expect(unknown.json["type"].string?.hasSuffix("challenge-expired") == true)
            #expect(try await h.request(.post, "/auth/mfa/verify", json: ["code": "123456"]).status == .badRequest)
            let extra = try await h.request(.post, "/auth/mfa/skip", json: ["handle": "h", "code": "1"])
            #expect(extra.status == .badRequest, "\(extra.text)")
        }
    }

    /// A handle past its time (Authorizer's MFA session has ended with it) is refused as expired,
    /// and a code for it reaches no one.
    @Test func anExpiredHandleIsRefusedAsExpired() async throws {
        try await GatewayHarness.with(mode: .hybrid, authorizerConfigure: { $0.disableMFA = false }) { h in
            let signup = try await h.signup("late@example.com")
            let handle = try #require(signup.json["next"]["handle"].string)
            let secret = try #require(signup.json["next"]["totp"]["secret"].string)
            try await h.database.withConnection { sql in
                try await sql.raw("UPDATE sign_in_challenges SET expires_at = \(bind: Date().addingTimeInterval(-1))")
                    .run()
            }
            let late = try await h.request(
                .post, "/auth/mfa/verify", json: ["handle": handle, "code": Self.totp(secret)])
            #expect(late.status == .unauthorized, "\(late.text)")
            #expect(late.json["type"].string?.hasSuffix("challenge-expired") == true)
            #expect(late.json["accessToken"].isNull)
        }
    }

    @Test func optionalSetupCanBeSkippedAndEnforcedSetupCannot() async throws {
        try await GatewayHarness.with(mode: .hybrid, authorizerConfigure: { $0.disableMFA = false }) { h in
            let signup = try await h.signup("skipper@example.com", clientName: "Skip Co")
            let handle = try #require(signup.json["next"]["handle"].string)
            let skipped = try await h.request(.post, "/auth/mfa/skip", json: ["handle": handle])
            #expect(skipped.status == .ok, "\(skipped.text)")
            #expect(skipped.json["user"]["role"].string == "ADMIN")
            // Skipped once: later sign-ins get their tokens at once.
            _ = try await h.login("skipper@example.com")
        }
        try await GatewayHarness.with(
            mode: .hybrid,
            authorizerConfigure: {
                $0.disableMFA = false; $0.enforceMFA = true
            }
        ) { h in
            let signup = try await h.signup("enforced@example.com")
            #expect(signup.json["next"]["step"].string == "mfa-enrol")
            let handle = try #require(signup.json["next"]["handle"].string)
            let skip = try await h.request(.post, "/auth/mfa/skip", json: ["handle": handle])
            #expect(skip.status == .conflict, "\(skip.text)")
            #expect(skip.json["type"].string?.hasSuffix("mfa-enrolment-required") == true)
        }
    }

    @Test func anEmailCodeCanBeTheFactor() async throws {
        try await GatewayHarness.with(mode: .hybrid, authorizerConfigure: { $0.disableMFA = false }) { h in
            let signup = try await h.signup("mailer@example.com")
            let handle = try #require(signup.json["next"]["handle"].string)
            let sent = try await h.request(.post, "/auth/mfa/email", json: ["handle": handle])
            #expect(sent.status == .ok, "\(sent.text)")
            #expect(sent.json["next"]["step"].string == "email-code")
            let code = try #require(try await h.mailedCode())
            let done = try await h.request(.post, "/auth/mfa/email-code", json: ["handle": handle, "code": code])
            #expect(done.status == .ok, "\(done.text)")
            // Enrolled: each sign-in now mails a code first.
            let login = try await h.request(
                .post, "/auth/login", json: ["email": "mailer@example.com", "password": GatewayHarness.password])
            #expect(login.json["next"]["step"].string == "email-code", "\(login.text)")
        }
    }

    @Test func codesAreLimitedPerAddress() async throws {
        try await GatewayHarness.with(
            mode: .hybrid, authorizerConfigure: { $0.disableMFA = false },
            configure: { $0.authRateLimits = AuthRateLimits(perIP: 3, perEmail: 100, failedLoginsPerAddress: 0) }
        ) { h in
            var statuses: [Int] = []
            for _ in 0..<4 {
                statuses.append(
                    Int(try await h.request(.post, "/auth/mfa/verify", json: ["handle": "x", "code": "1"]).status.code))
            }
            #expect(statuses == [401, 401, 401, 429], "\(statuses)")
        }
    }

    /// Authorizer 2.4 mails a code to an unverified address before it checks the password, with
    /// the same MFA session as after a proven one, and its `skip_mfa_setup` then issues tokens
    /// (`service/login.go`, `skip_mfa_setup.go`). The gateway completes each step only at its own
    /// route: skipping from that code step is refused, or anyone could sign in as anyone whose
    /// address is unverified. Before the fix, this skip answered 200 with the victim's tokens.
    @Test func aMailedCodeStepCannotBeSkippedOrTakenAsAnotherFactor() async throws {
        try await GatewayHarness.with(mode: .hybrid, authorizerConfigure: { $0.disableMFA = false }) { h in
            // The victim signed up and left the second-factor step for later.
            #expect(try await h.signup("victim@example.com").status == .accepted)
            // The platform's row comes with Authorizer's webhook.
            let users = UserStore(h.database)
            #expect(try await h.eventually { try await users.find(email: "victim@example.com") != nil })
            let id = try #require(try await users.find(email: "victim@example.com")?.authorizerID)
            try await h.authorizerAdmin(
                "mutation ($p: UpdateUserRequest!) { _update_user(params: $p) { id } }",
                variables: ["p": ["id": id, "email_verified": false]])
            let attacker = try await h.request(
                .post, "/auth/login", json: ["email": "victim@example.com", "password": "N0t!theirs"])
            #expect(attacker.status == .accepted && attacker.json["next"]["step"].string == "email-code")
            let stolen = try #require(attacker.json["next"]["handle"].string)
            for (route, body) in [
                ("/auth/mfa/skip", ["handle": stolen]), ("/auth/mfa/recovery", ["handle": stolen, "code": "123456"]),
                ("/auth/mfa/verify", ["handle": stolen, "code": "123456"]),
            ] {
                let answer = try await h.request(.post, route, json: body)
                #expect(answer.status == .conflict, "\(route): \(answer.text)")
                #expect(answer.json["type"].string?.hasSuffix("wrong-step") == true)
                #expect(answer.json["accessToken"].isNull)
            }
        }
    }
}
