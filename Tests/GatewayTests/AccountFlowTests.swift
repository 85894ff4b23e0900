import AuthorizerClient
import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import Logging
import PlatformDB
import Testing

@Suite struct AccountFlowTests {
    @Test func emailVerificationKeepsTheUserPendingUntilVerified() async throws {
        try await GatewayHarness.with(mode: .hybrid, emailVerification: true) { h in
            // Authorizer 2.4 answers a message only (service/signup.go): 202, and the user is read
            // with `_user` and written pending verification.
            let signup = try await h.signup("pending@example.com")
            #expect(signup.status == .accepted, "\(signup.text)")
            #expect(signup.json["accessToken"].isNull)
            #expect(signup.json["message"].string?.contains("Check your email") == true)
            #expect(try await UserStore(h.database).find(email: "pending@example.com")?.status == .pendingVerification)
            let login = try await h.request(
                .post, "/auth/login", json: ["email": "pending@example.com", "password": GatewayHarness.password])
            #expect(login.status == .unauthorized)

            let token = try #require(try await h.mailedToken(kind: "verify_email"))
            let verified = try await h.request(.post, "/auth/verify-email", json: ["token": token])
            #expect(verified.status == .ok, "\(verified.text)")
            #expect(verified.json["user"]["status"].string == "ACTIVE")
            let access = try #require(verified.json["accessToken"].string)
            #expect(try await h.request(.get, "/auth/me", bearer: access).json["status"].string == "ACTIVE")
        }
    }

    @Test func refreshForgotAndReset() async throws {
        try await GatewayHarness.with(mode: .local) { h in
            try await h.signup("acct@example.com")
            let login = try await h.request(
                .post, "/auth/login",
                json: ["email": "acct@example.com", "password": GatewayHarness.password, "offlineAccess": true])
            let refresh = try #require(login.json["refreshToken"].string)
            let refreshed = try await h.request(.post, "/auth/refresh", json: ["refreshToken": refresh])
            #expect(refreshed.status == .ok, "\(refreshed.text)")
            let access = try #require(refreshed.json["accessToken"].string)
            #expect(try await h.request(.get, "/auth/me", bearer: access).status == .ok)
            let reused = try await h.request(.post, "/auth/refresh", json: ["refreshToken": refresh])
            #expect(reused.status == .unauthorized)

            let forgot = try await h.request(.post, "/auth/forgot-password", json: ["email": "acct@example.com"])
            #expect(forgot.status == .accepted)
            let token = try #require(try await h.mailedToken(kind: "forgot_password"))
            let reset = try await h.request(
                .post, "/auth/reset-password",
                json: ["token": token, "password": "N3w!password", "confirmPassword": "N3w!password"])
            #expect(reset.status == .ok, "\(reset.text)")
            let newLogin = try await h.request(
                .post, "/auth/login", json: ["email": "acct@example.com", "password": "N3w!password"])
            #expect(newLogin.status == .ok)
        }
    }

    /// Authorizer 2.4 with MFA on and TOTP off (`--disable-totp-login`) answers a first login
    /// with "Proceed to mfa setup", no token and no enrolment, and its MFA session cookie. A
    /// stand-in at the transport answers exactly that: the gateway offers the step (email, skip),
    /// never a dead end.
    @Test func anMFAOfferWithoutTOTPIsAStepNotACrash() async throws {
        let router = Router()
        router.post("/graphql") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/json", .setCookie: "mfa_session=abc; Path=/; HttpOnly"],
                body: .init(
                    byteBuffer: ByteBuffer(
                        string:
                            #"{"data":{"login":{"message":"Proceed to mfa setup","should_offer_email_otp_mfa_setup":true,"access_token":null,"user":null}}}"#
                    )))
        }
        let stand = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await stand.test(.ahc(.http)) { authorizer in
            var settings = AuthorizerSettings(url: "http://localhost:\(authorizer.port ?? 0)", clientID: "c")
            settings.version = .v2
            settings.jwtSecret = String(repeating: "s", count: 32)
            let logger = Logger(label: "test")
            let database = try await PlatformDatabase.open(.sqliteMemory, logger: logger)
            var insecure = WebhookAuthentication()
            insecure.insecure = true
            let gateway = try await buildApplication(
                configuration: .init(port: 0, databaseURL: .sqliteMemory, authorizer: settings, webhooks: insecure),
                database: database, logger: logger)
            let short = AuthorizerSettings(url: settings.url, clientID: "c")
            var shortSecret = short
            shortSecret.jwtSecret = "short"
            shortSecret.version = .v2
            // Authorizer's own secret, which Authorizer takes at any length: a warning, not a refusal.
            _ = try await buildApplication(
                configuration: .init(port: 0, authorizer: shortSecret, webhooks: insecure), database: database,
                logger: logger)
            try await gateway.test(.ahc(.http)) { client in
                try await client.execute(
                    uri: "/auth/login", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"email":"m@example.com","password":"Str0ng!pass"}"#)
                ) { response in
                    let text = String(buffer: response.body)
                    #expect(response.status == .accepted, "\(text)")
                    #expect(text.contains(#""step":"mfa-enrol""#) && text.contains(#""methods":["email"]"#), "\(text)")
                    #expect(!text.contains("abc"), "Authorizer's MFA cookie stays with the gateway")
                }
            }
        }
    }

    /// Authorizer's password refusals come back on the field at fault, in this product's words,
    /// not Authorizer's raw text (`validators/password.go`).
    @Test func aRefusedPasswordIsNamedOnItsField() async throws {
        try await GatewayHarness.with(mode: .hybrid) { h in
            let weak = try await h.request(
                .post, "/auth/signup",
                json: ["email": "weak@example.com", "password": "weakpass", "confirmPassword": "weakpass"])
            #expect(weak.status == .badRequest, "\(weak.text)")
            #expect(weak.json["field"].string == "password")
            #expect(weak.json["detail"].string?.contains("6 to 36 characters") == true)
            #expect(weak.json["detail"].string?.contains("password is not valid") == false, "\(weak.text)")
            let differ = try await h.request(
                .post, "/auth/signup",
                json: ["email": "differ@example.com", "password": "Str0ng!pass", "confirmPassword": "Str0ng!pasX"])
            #expect(differ.status == .badRequest && differ.json["field"].string == "confirmPassword", "\(differ.text)")
        }
    }
}
