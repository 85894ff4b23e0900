import Foundation
import Testing

@testable import LocalAuthorizer

/// Multi-factor sign-in as Authorizer 2.4 runs it, over real HTTP: `internal/service/login.go`,
/// `mfa_gate.go`, `otp_mfa_setup.go`, `verify_otp.go`, `skip_mfa_setup.go`, `lock_mfa.go`,
/// `magic_link_login.go`, `verify_email.go` (tag 2.4.0).
@Suite struct MFATests {
    /// RFC 6238 appendix B (SHA-1 key "12345678901234567890"), the low 6 of its 8 digits.
    @Test func codesAreRFC6238s() {
        let secret = TOTP.base32(Data("12345678901234567890".utf8))
        #expect(secret == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
        for (time, code) in [
            (59, "287082"), (1_111_111_109, "081804"), (1_234_567_890, "005924"), (2_000_000_000, "279037"),
        ] {
            #expect(TOTP.code(secret: secret, time: Int64(time)) == code)
        }
        #expect(TOTP.matchingStep("287082", secret: secret, time: 59 + 30) == 1)
        #expect(TOTP.matchingStep("287082", secret: secret, time: 59 + 60) == nil)
        #expect(TOTP.base32Decode(secret) == Data("12345678901234567890".utf8))
    }

    static let loginFields = """
        message access_token refresh_token should_show_totp_screen should_show_email_otp_screen \
        should_offer_webauthn_mfa_setup should_offer_email_otp_mfa_setup should_offer_sms_otp_mfa_setup \
        authenticator_scanner_image authenticator_secret authenticator_recovery_codes user { id email }
        """

    func login(_ h: Harness, _ email: String) async throws -> (JSON, String?) {
        let reply = try await h.graphql(
            "mutation ($p: LoginRequest!) { login(params: $p) { \(Self.loginFields) } }",
            variables: ["p": ["email": email, "password": Harness.strongPassword]])
        return (reply.json["data"]["login"], reply.setCookie("mfa_session").map { "mfa_session=\($0)" })
    }

    func verify(_ h: Harness, _ code: String, cookie: String?, totp: Bool = true) async throws -> JSON {
        try await h.graphql(
            "mutation ($p: VerifyOTPRequest!) { verify_otp(params: $p) { message access_token user { email } } }",
            variables: ["p": ["otp": code, "is_totp": totp]], cookie: cookie
        ).json
    }

    func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    @Test func aFirstSignInIsOfferedTOTPThenACodeOnceThenRecoveryCodesOnce() async throws {
        try await Harness.with(configure: { $0.disableMFA = false }) { h in
            // Signup meets the gate too: no token, the offer (signup.go).
            let signup = try await h.graphql(
                "mutation ($p: SignUpRequest!) { signup(params: $p) { \(Self.loginFields) } }",
                variables: [
                    "p": [
                        "email": "mfa@example.com", "password": Harness.strongPassword,
                        "confirm_password": Harness.strongPassword,
                    ]
                ])
            #expect(signup.json["data"]["signup"]["message"].string == "Proceed to mfa setup")
            #expect(signup.json["data"]["signup"]["access_token"].isNull)

            let (offer, cookie) = try await login(h, "mfa@example.com")
            #expect(offer["message"].string == "Proceed to mfa setup")
            #expect(offer["access_token"].isNull && offer["user"].isNull)
            #expect(offer["should_show_totp_screen"].bool == true)
            #expect(offer["should_offer_webauthn_mfa_setup"].bool == true)
            #expect(offer["should_offer_email_otp_mfa_setup"].bool == true)
            #expect(offer["should_offer_sms_otp_mfa_setup"].bool == false)
            let codes = offer["authenticator_recovery_codes"].array.compactMap(\.string)
            #expect(codes.count == 10)
            // The image is plain base64 of a PNG, no data: prefix (totp.go).
            let image = try #require(Data(base64Encoded: offer["authenticator_scanner_image"].string ?? ""))
            #expect(image.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
            let secret = try #require(offer["authenticator_secret"].string)
            #expect(cookie != nil)

            // No cookie, then a wrong code.
            #expect(try await verify(h, "000000", cookie: nil)["errors"][0]["message"].string == "invalid session")
            let code = try #require(TOTP.code(secret: secret, time: now()))
            let wrong = code == "123456" ? "654321" : "123456"
            let refused = try await verify(h, wrong, cookie: cookie)
            #expect(refused["errors"][0]["message"].string == "invalid otp")
            let verified = try await verify(h, code, cookie: cookie)
            #expect(verified["data"]["verify_otp"]["message"].string == "OTP verified successfully.")
            #expect(verified["data"]["verify_otp"]["access_token"].string != nil)
            // The session was spent with the code.
            #expect(try await verify(h, code, cookie: cookie)["errors"][0]["message"].string == "invalid session")

            // Enrolled now: a code is asked for, with no new secret; the spent code is refused.
            let (challenge, second) = try await login(h, "mfa@example.com")
            #expect(challenge["message"].string == "Proceed to mfa verification")
            #expect(challenge["should_show_totp_screen"].bool == true)
            #expect(challenge["authenticator_secret"].isNull)
            #expect(try await verify(h, code, cookie: second)["errors"][0]["message"].string == "invalid otp")
            // A recovery code works once.
            let recovered = try await verify(h, codes[3], cookie: second)
            #expect(recovered["data"]["verify_otp"]["access_token"].string != nil)
            let (_, third) = try await login(h, "mfa@example.com")
            #expect(try await verify(h, codes[3], cookie: third)["errors"][0]["message"].string == "invalid otp")
            // Skipping is refused once a factor is enrolled.
            let skip = try await h.graphql("mutation { skip_mfa_setup(params: {}) { message } }", cookie: third).json
            #expect(skip["errors"][0]["message"].string == "cannot skip multi factor authentication setup")
        }
    }

    @Test func optionalMFACanBeSkippedOnceAndEnforcedMFACannot() async throws {
        try await Harness.with(configure: { $0.disableMFA = false }) { h in
            _ = try await h.signup("skip@example.com")
            let (_, cookie) = try await login(h, "skip@example.com")
            let skipped = try await h.graphql(
                "mutation { skip_mfa_setup(params: {}) { message access_token } }", cookie: cookie
            ).json["data"]["skip_mfa_setup"]
            #expect(skipped["message"].string == "MFA setup skipped")
            #expect(skipped["access_token"].string != nil)
            let (later, _) = try await login(h, "skip@example.com")
            #expect(later["message"].string == "Logged in successfully")
            #expect(later["access_token"].string != nil)
        }
        try await Harness.with(configure: {
            $0.disableMFA = false; $0.enforceMFA = true
        }) { h in
            _ = try await h.signup("enforced@example.com")
            let (offer, cookie) = try await login(h, "enforced@example.com")
            #expect(offer["message"].string == "Proceed to mfa setup")
            let skip = try await h.graphql("mutation { skip_mfa_setup(params: {}) { message } }", cookie: cookie).json
            #expect(skip["errors"][0]["message"].string == "cannot skip multi factor authentication setup")
            let meta = try await h.graphql("{ meta { is_multi_factor_auth_enabled is_mfa_enforced } }").json
            #expect(meta["data"]["meta"]["is_mfa_enforced"].bool == true)
        }
    }

    /// `lock_mfa.go`: a user who cannot give a code locks their own MFA; every later sign-in is
    /// refused with the lock's words (FAILED_PRECONDITION), and without a session it is refused.
    @Test func lockingMFARefusesLaterSignIns() async throws {
        try await Harness.with(configure: { $0.disableMFA = false }) { h in
            _ = try await h.signup("lock@example.com")
            let (offer, cookie) = try await login(h, "lock@example.com")
            let secret = try #require(offer["authenticator_secret"].string)
            let enrolled = try await verify(h, try #require(TOTP.code(secret: secret, time: now())), cookie: cookie)
            #expect(enrolled["data"]["verify_otp"]["access_token"].string != nil)
            #expect(
                try await h.graphql("mutation { lock_mfa(params: {}) { message } }").json["errors"][0]["message"].string
                    == "invalid session")
            let (_, second) = try await login(h, "lock@example.com")
            let locked = try await h.graphql("mutation { lock_mfa(params: {}) { message } }", cookie: second).json
            #expect(
                locked["data"]["lock_mfa"]["message"].string
                    == "Your account is locked. Contact your administrator to regain access.")
            let refused = try await h.login("lock@example.com").json["errors"][0]
            #expect(refused["message"].string?.contains("multi-factor authentication is locked") == true)
            #expect(refused["extensions"]["code"].string == "FAILED_PRECONDITION")
        }
    }

    @Test func anEmailCodeEnrolsAndThenGuardsEachSignIn() async throws {
        try await Harness.with(configure: {
            $0.disableMFA = false; $0.disableTOTPLogin = true
        }) { h in
            _ = try await h.signup("otp@example.com")
            let (offer, cookie) = try await login(h, "otp@example.com")
            #expect(offer["should_offer_email_otp_mfa_setup"].bool == true)
            #expect(offer["authenticator_secret"].isNull)
            let setup = try await h.graphql("mutation { email_otp_mfa_setup { message } }", cookie: cookie).json
            #expect(
                setup["data"]["email_otp_mfa_setup"]["message"].string == "Check your email for the verification code")
            let mailed = try #require(try await h.outbox().last { $0["kind"].string == "email_otp" }?["code"].string)
            let wrong = try await verify(h, mailed == "AAAAAA" ? "BBBBBB" : "AAAAAA", cookie: cookie, totp: false)
            #expect(wrong["errors"][0]["message"].string == "invalid otp")
            let verified = try await verify(h, mailed, cookie: cookie, totp: false)
            #expect(verified["data"]["verify_otp"]["access_token"].string != nil)
            // Enrolled: each sign-in mails a code (login.go's email OTP branch).
            let (next, nextCookie) = try await login(h, "otp@example.com")
            #expect(next["message"].string == "Please check email inbox for the OTP")
            #expect(next["should_show_email_otp_screen"].bool == true)
            let again = try #require(try await h.outbox().last { $0["kind"].string == "email_otp" }?["code"].string)
            #expect(
                try await verify(h, again, cookie: nextCookie, totp: false)["data"]["verify_otp"]["access_token"].string
                    != nil)
            #expect(
                try await verify(h, again, cookie: nextCookie, totp: false)["errors"][0]["message"].string
                    == "invalid session")
        }
    }

    /// `validators/url.go` `IsValidRedirectURI`: with `*` only the server's own host and port.
    @Test func redirectURIsFollowAuthorizersRule() {
        let own = "http://127.0.0.1:8081"
        #expect(RedirectURIPolicy.isValid("http://127.0.0.1:8081/app", allowedOrigins: ["*"], serverURL: own))
        #expect(!RedirectURIPolicy.isValid("http://127.0.0.1:8080/#/x", allowedOrigins: ["*"], serverURL: own))
        #expect(!RedirectURIPolicy.isValid("javascript:alert(1)", allowedOrigins: ["*"], serverURL: own))
        let list = ["http://127.0.0.1:8080", "https://*.example.com"]
        #expect(RedirectURIPolicy.isValid("http://127.0.0.1:8080/#/reset", allowedOrigins: list, serverURL: own))
        #expect(RedirectURIPolicy.isValid("https://app.example.com/x", allowedOrigins: list, serverURL: own))
        #expect(!RedirectURIPolicy.isValid("https://example.com/x", allowedOrigins: list, serverURL: own))
        #expect(!RedirectURIPolicy.isValid("https://evil-example.com/x", allowedOrigins: list, serverURL: own))
        #expect(RedirectURIPolicy.isValid("https://secure.example.com:443/x", allowedOrigins: list, serverURL: own))
    }

    @Test func aMagicLinkSignsInOnce() async throws {
        try await Harness.with(configure: {
            $0.enableMagicLinkLogin = true; $0.enableEmailVerification = true
        }) { h in
            let sent = try await h.graphql(
                "mutation ($p: MagicLinkLoginRequest!) { magic_link_login(params: $p) { message } }",
                variables: ["p": ["email": "link@example.com"]]
            ).json
            #expect(sent["data"]["magic_link_login"]["message"].string == AuthService.magicLinkSent)
            let token = try #require(try await h.mailedToken(kind: "magic_link_login"))
            let link = try #require(try await h.outbox().last?["link"].string)
            #expect(link.hasPrefix(h.configuration.issuer + "/verify_email?token="))
            let verify = "mutation ($p: VerifyEmailRequest!) { verify_email(params: $p) { message access_token } }"
            let first = try await h.graphql(verify, variables: ["p": ["token": token]]).json
            #expect(first["data"]["verify_email"]["access_token"].string != nil)
            let second = try await h.graphql(verify, variables: ["p": ["token": token]]).json
            #expect(second["errors"][0]["message"].string == "invalid verification token")
        }
    }
}
