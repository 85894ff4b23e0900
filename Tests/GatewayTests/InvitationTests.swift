import Foundation
import Gateway
import PlatformDB
import Testing

@Suite struct InvitationTests {
    @Test func invitationsEndToEnd() async throws {
        try await GatewayHarness.with(mode: .local) { h in
            let founder = try await h.signup("boss@example.com", clientName: "Acme")
            let clientID = try #require(founder.json["user"]["clientId"].string)
            let boss = try await h.login("boss@example.com")
            let invite = try await h.request(
                .post, "/invitations", json: ["email": "Bee@Example.com", "role": "USER"], bearer: boss)
            #expect(invite.status == .created, "\(invite.text)")
            let token = try #require(invite.json["token"].string)
            let listed = try await h.request(.get, "/invitations", bearer: boss)
            #expect(!listed.text.contains(token), "the token is shown once only")

            // Signup through the invitation: the new user joins Acme as USER.
            let wrongEmail = try await h.request(
                .post, "/auth/signup",
                json: [
                    "email": "eve@example.com", "password": GatewayHarness.password,
                    "confirmPassword": GatewayHarness.password, "invitationToken": token,
                ])
            #expect(wrongEmail.status == .badRequest)
            #expect(wrongEmail.json["detail"].string == "this invitation is for another email address")
            let joined = try await h.request(
                .post, "/auth/signup",
                json: [
                    "email": "bee@example.com", "password": GatewayHarness.password,
                    "confirmPassword": GatewayHarness.password, "invitationToken": token,
                ])
            #expect(joined.status == .created, "\(joined.text)")
            #expect(joined.json["user"]["clientId"].string == clientID)
            #expect(joined.json["user"]["role"].string == "USER")
            let reused = try await h.request(
                .post, "/auth/signup",
                json: [
                    "email": "bee2@example.com", "password": GatewayHarness.password,
                    "confirmPassword": GatewayHarness.password, "invitationToken": token,
                ])
            #expect(reused.json["detail"].string == "this invitation has already been used")

            // Accept as a signed-in user; revoked and expired tokens are refused plainly.
            try await h.signup("late@example.com")
            let late = try await h.login("late@example.com")
            let revokedInvite = try await h.request(
                .post, "/invitations", json: ["email": "late@example.com", "role": "ADMIN"], bearer: boss)
            let revokedID = try #require(revokedInvite.json["id"].string)
            #expect(try await h.request(.delete, "/invitations/\(revokedID)", bearer: boss).status == .noContent)
            let revoked = try await h.request(
                .post, "/invitations/accept", json: ["token": revokedInvite.json["token"].string ?? ""], bearer: late)
            #expect(revoked.json["detail"].string == "this invitation was revoked")

            let expiring = try await h.request(
                .post, "/invitations", json: ["email": "late@example.com", "role": "ADMIN"], bearer: boss)
            try await h.database.withConnection { sql in
                try await sql.raw(
                    "UPDATE invitations SET expires_at = \(bind: Date().addingTimeInterval(-1)) WHERE id = \(bind: expiring.json["id"].string ?? "")"
                ).run()
            }
            let expired = try await h.request(
                .post, "/invitations/accept", json: ["token": expiring.json["token"].string ?? ""], bearer: late)
            #expect(expired.json["detail"].string == "this invitation has expired")

            let good = try await h.request(
                .post, "/invitations", json: ["email": "late@example.com", "role": "ADMIN"], bearer: boss)
            let accepted = try await h.request(
                .post, "/invitations/accept", json: ["token": good.json["token"].string ?? ""], bearer: late)
            #expect(accepted.status == .ok, "\(accepted.text)")
            #expect(accepted.json["role"].string == "ADMIN")
            #expect(try await h.request(.get, "/workflows", bearer: late).status == .ok)

            // Another tenant cannot see or revoke Acme's invitations.
            try await h.signup("rival@example.com", clientName: "Rival")
            let rival = try await h.login("rival@example.com")
            #expect(
                try await h.request(.delete, "/invitations/\(try #require(good.json["id"].string))", bearer: rival)
                    .status == .notFound)
            let bee = try await h.login("bee@example.com")
            #expect(
                try await h.request(.post, "/invitations", json: ["email": "x@example.com"], bearer: bee).status
                    == .forbidden)
        }
    }
}
