import Foundation
import Testing

@testable import LocalAuthorizer

@Suite struct AccountTests {
    @Test func emailVerificationWithholdsTokensUntilTheMailedLinkIsUsed() async throws {
        let verification: (inout AuthorizerConfiguration) -> Void = { $0.enableEmailVerification = true }
        try await Harness.with(configure: verification) { h in
            let signup = try await h.signup("v@example.com")
            #expect(signup["message"].string == "Verification email has been sent. Please check your inbox")
            // service/signup.go: a message only, no user and no token, for a taken address too.
            #expect(signup["access_token"].isNull)
            #expect(signup["user"].isNull)
            let taken = try await h.signup("v@example.com")
            #expect(taken["message"].string == "Verification email has been sent. Please check your inbox")
            #expect(taken["user"].isNull)
            // service/login.go: while the signup link is unexpired, an unverified login is refused.
            #expect(try await h.login("v@example.com").json["errors"][0]["message"].string == "invalid credentials")

            let resend = try await h.graphql(
                "mutation ($p: ResendVerifyEmailRequest!) { resend_verify_email(params: $p) { message } }",
                variables: ["p": ["email": "v@example.com", "identifier": "basic_auth_signup"]])
            #expect(resend.json["data"]["resend_verify_email"]["message"].string != nil)
            #expect(try await h.outbox().filter { $0["to"].string == "v@example.com" }.count == 2)

            let token = try #require(try await h.mailedToken(kind: "verify_email"))
            let verify = try await h.graphql(
                "mutation ($p: VerifyEmailRequest!) { verify_email(params: $p) { message access_token user { email_verified } } }",
                variables: ["p": ["token": token]])
            #expect(verify.json["data"]["verify_email"]["message"].string == "Email verified successfully.")
            #expect(verify.json["data"]["verify_email"]["user"]["email_verified"].bool == true)
            #expect(verify.json["data"]["verify_email"]["access_token"].string != nil)
            let again = try await h.graphql(
                "mutation ($p: VerifyEmailRequest!) { verify_email(params: $p) { message } }",
                variables: ["p": ["token": token]])
            #expect(again.json["errors"][0]["message"].string == "invalid verification token")
            #expect(try await h.login("v@example.com").json["data"]["login"]["access_token"].string != nil)
        }
    }

    @Test func forgotAndResetPasswordEndEverySession() async throws {
        try await Harness.with { h in
            try await h.signup("f@example.com")
            let old = try #require(try await h.login("f@example.com").json["data"]["login"]["access_token"].string)
            let forgot = try await h.graphql(
                "mutation ($p: ForgotPasswordRequest!) { forgot_password(params: $p) { message } }",
                variables: ["p": ["email": "f@example.com"]])
            let unknown = try await h.graphql(
                "mutation ($p: ForgotPasswordRequest!) { forgot_password(params: $p) { message } }",
                variables: ["p": ["email": "nobody@example.com"]])
            #expect(forgot.json["data"]["forgot_password"]["message"].string != nil)
            #expect(
                forgot.json["data"]["forgot_password"]["message"].string
                    == unknown.json["data"]["forgot_password"]["message"].string)

            let token = try #require(try await h.mailedToken(kind: "forgot_password"))
            let reset = try await h.graphql(
                "mutation ($p: ResetPasswordRequest!) { reset_password(params: $p) { message } }",
                variables: ["p": ["token": token, "password": "N3w!password", "confirm_password": "N3w!password"]])
            #expect(reset.json["data"]["reset_password"]["message"].string == "Password updated successfully.")
            #expect(try await h.validate(old).json["errors"][0]["message"].string == "invalid token")
            #expect(try await h.login("f@example.com").json["errors"][0]["message"].string == "invalid credentials")
            #expect(
                try await h.login("f@example.com", password: "N3w!password").json["data"]["login"]["access_token"]
                    .string != nil)
        }
    }

    @Test func profileUpdatesAndDeactivation() async throws {
        try await Harness.with { h in
            try await h.signup("p@example.com")
            let token = try #require(try await h.login("p@example.com").json["data"]["login"]["access_token"].string)
            let update = try await h.graphql(
                "mutation ($p: UpdateProfileRequest!) { update_profile(params: $p) { message } }",
                variables: ["p": ["given_name": "Pat", "family_name": "Doe"]], bearer: token)
            #expect(update.json["data"]["update_profile"]["message"].string == "Profile details updated successfully.")
            let profile = try await h.graphql("{ profile { given_name family_name } }", bearer: token)
            #expect(profile.json["data"]["profile"]["given_name"].string == "Pat")

            let badOld = try await h.graphql(
                "mutation ($p: UpdateProfileRequest!) { update_profile(params: $p) { message } }",
                variables: [
                    "p": [
                        "old_password": "Wr0ng!pass", "new_password": "N3w!password",
                        "confirm_new_password": "N3w!password",
                    ]
                ],
                bearer: token)
            #expect(badOld.json["errors"][0]["extensions"]["code"].string == "INVALID_ARGUMENT")

            let deactivate = try await h.graphql("mutation { deactivate_account { message } }", bearer: token)
            #expect(deactivate.json["data"]["deactivate_account"]["message"].string != nil)
            #expect(try await h.login("p@example.com").json["errors"][0]["message"].string == "invalid credentials")
        }
    }
}
