import Foundation
import Gateway
import HTTPTypes
import PlatformDB
import TestSupport
import Testing

/// Suspensions hold (issue 25, fault 4).
@Suite struct SuspensionTests {
    /// A tenant suspended anywhere refuses its members' writes at once on every instance; it kept
    /// writing for the user-context lifetime (here 60 s) while a user's suspension was immediate.
    @Test(.enabled(if: TestPostgres.adminURL != nil))
    func aTenantSuspensionHoldsAtOnceOnEveryInstance() async throws {
        try await PostgresGatewayTests.withTwoGateways(test: "aTenantSuspensionHoldsAtOnceOnEveryInstance") {
            a, b, url, _ in
            let bearer = try await PostgresGatewayTests.signedIn(
                "tenant@example.com", clientName: "Held Co", a: a, b: b)
            let workflow = #"{"name":"W","definition":{"trigger":{"type":"manual"},"steps":[]}}"#
            for gateway in [a, b] {
                let (status, body) = try await PostgresGatewayTests.call(
                    gateway, .post, "/workflows", workflow, bearer: bearer)
                #expect(status == .created, "\(body)")  // and the member's context is cached for 60 s
            }
            try await PlatformDatabase.withOpened(url, logger: PostgresGatewayTests.logger) { database in
                try await database.withConnection { sql in
                    try await sql.raw("UPDATE clients SET status = 'SUSPENDED' WHERE name = 'Held Co'").run()
                }
            }
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<50 {
                statuses = [
                    try await PostgresGatewayTests.call(a, .post, "/workflows", workflow, bearer: bearer).0,
                    try await PostgresGatewayTests.call(b, .post, "/workflows", workflow, bearer: bearer).0,
                ]
                if statuses == [.forbidden, .forbidden] { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(statuses == [.forbidden, .forbidden], "writes went on after the suspension: \(statuses)")
        }
    }

    /// An operator's suspension through the API holds at once on the instance that made it.
    @Test func anOperatorsTenantSuspensionHoldsAtOnce() async throws {
        try await GatewayHarness.with(
            mode: .local, superAdmins: ["ops@example.com"], configure: { $0.authorizer?.userCacheTTL = .seconds(60) }
        ) { h in
            let owner = try await h.signup("owner@example.com", clientName: "Acme")
            let clientID = try #require(owner.json["user"]["clientId"].string)
            try await h.signup("ops@example.com")
            let ops = try await h.login("ops@example.com")
            let member = try await h.login("owner@example.com")
            #expect(try await h.request(.get, "/workflows", bearer: member).status == .ok)  // cached now
            let suspended = try await h.request(
                .patch, "/admin/clients/\(clientID)", json: ["status": "SUSPENDED"], bearer: ops)
            #expect(suspended.status == .ok, "\(suspended.text)")
            #expect(try await h.request(.get, "/workflows", bearer: member).status == .forbidden)
        }
    }

    /// Two members of one tenant: the ADMIN who made it, and a USER who joined by invitation.
    static func tenantWithMember(_ h: GatewayHarness) async throws -> (
        admin: String, member: String, memberID: String, memberAuthorizerID: String
    ) {
        try await h.signup("boss@example.com", clientName: "Acme")
        let admin = try await h.login("boss@example.com")
        let invite = try await h.request(
            .post, "/invitations", json: ["email": "member@example.com", "role": "USER"], bearer: admin)
        let token = try #require(invite.json["token"].string, "\(invite.text)")
        let joined = try await h.request(
            .post, "/auth/signup",
            json: [
                "email": "member@example.com", "password": GatewayHarness.password,
                "confirmPassword": GatewayHarness.password, "invitationToken": token,
            ])
        #expect(joined.status == .created, "\(joined.text)")
        let memberID = try #require(joined.json["user"]["id"].string)
        let authorizerID = try #require(joined.json["user"]["authorizerId"].string)
        return (admin, try await h.login("member@example.com"), memberID, authorizerID)
    }

    static func settled(_ h: GatewayHarness) async throws -> Bool {
        try await h.eventually { try await WebhookInbox(h.database).events(status: "PENDING").isEmpty }
    }

    /// The platform's suspension and Authorizer's revocation are kept apart: Authorizer's
    /// `_enable_access` once made a user whom a tenant ADMIN had suspended ACTIVE again.
    @Test(arguments: GatewayHarness.Backend.available)
    func authorizersEnableLiftsOnlyItsOwnSuspension(_ backend: GatewayHarness.Backend) async throws {
        try await GatewayHarness.with(mode: .local, backend: backend) { h in
            let (admin, _, memberID, authorizerID) = try await Self.tenantWithMember(h)
            let users = UserStore(h.database)
            // Authorizer's bodies carry no event id and whole seconds: two events of one kind within
            // a second are the same bytes, which the inbox drops as a duplicate. Hence the pauses.
            let inbox = WebhookInbox(h.database)
            func access(_ mutation: String) async throws {
                let before = try await inbox.events(status: "APPLIED", limit: 500).count
                try await h.authorizerAdmin(
                    "mutation ($p: UpdateAccessRequest!) { \(mutation)(param: $p) { message } }",
                    variables: ["p": ["user_id": authorizerID]])
                #expect(
                    try await h.eventually {
                        try await inbox.events(status: "APPLIED", limit: 500).count == before + 1
                    }, "\(mutation) applied")
            }
            // The platform suspends; Authorizer's enable does not lift it, nor does a revoke and enable.
            #expect(
                try await h.request(.patch, "/users/\(memberID)", json: ["status": "SUSPENDED"], bearer: admin).status
                    == .ok)
            try await access("_enable_access")
            #expect(
                try await users.find(authorizerID: authorizerID)?.status == .suspended, "the ADMIN's suspension holds")
            try await access("_revoke_access")
            try await Task.sleep(for: .milliseconds(1100))
            try await access("_enable_access")
            #expect(
                try await users.find(authorizerID: authorizerID)?.status == .suspended,
                "and holds after a revoke and enable")

            // The platform reactivates; now Authorizer's own revocation suspends, and its enable lifts it.
            #expect(
                try await h.request(.patch, "/users/\(memberID)", json: ["status": "ACTIVE"], bearer: admin).status
                    == .ok)
            try await Task.sleep(for: .milliseconds(1100))
            try await access("_revoke_access")
            #expect(try await users.find(authorizerID: authorizerID)?.status == .suspended)
            try await Task.sleep(for: .milliseconds(1100))
            try await access("_enable_access")
            #expect(try await users.find(authorizerID: authorizerID)?.status == .active)
        }
    }

    /// Refresh refuses what login refuses: a suspended user's refresh answered 200 with fresh tokens.
    @Test func aSuspendedUsersRefreshIsRefused() async throws {
        try await GatewayHarness.with(mode: .local) { h in
            let (admin, _, memberID, _) = try await Self.tenantWithMember(h)
            let login = try await h.request(
                .post, "/auth/login",
                json: ["email": "member@example.com", "password": GatewayHarness.password, "offlineAccess": true])
            let refresh = try #require(login.json["refreshToken"].string)
            #expect(
                try await h.request(.patch, "/users/\(memberID)", json: ["status": "SUSPENDED"], bearer: admin).status
                    == .ok)
            let refused = try await h.request(.post, "/auth/refresh", json: ["refreshToken": refresh])
            #expect(refused.status == .forbidden, "\(refused.text)")
            #expect(refused.json["type"].string?.hasSuffix("/user-suspended") == true, "\(refused.text)")
        }
    }

    /// A suspended tenant's members are refused by `/auth/verify`, refresh and login as by every
    /// signed-in route (verify answered `valid: true` and refresh issued tokens).
    @Test func aSuspendedTenantsMembersAreRefusedEverywhere() async throws {
        try await GatewayHarness.with(mode: .local, superAdmins: ["ops@example.com"]) { h in
            let owner = try await h.signup("owner@example.com", clientName: "Acme")
            let clientID = try #require(owner.json["user"]["clientId"].string)
            try await h.signup("ops@example.com")
            let ops = try await h.login("ops@example.com")
            let login = try await h.request(
                .post, "/auth/login",
                json: ["email": "owner@example.com", "password": GatewayHarness.password, "offlineAccess": true])
            let access = try #require(login.json["accessToken"].string)
            let refresh = try #require(login.json["refreshToken"].string)
            #expect(
                try await h.request(.patch, "/admin/clients/\(clientID)", json: ["status": "SUSPENDED"], bearer: ops)
                    .status == .ok)

            let verify = try await h.request(.post, "/auth/verify", json: ["token": access])
            #expect(verify.json["valid"].bool == false, "\(verify.text)")
            #expect(verify.json["reason"].string == "tenant_suspended")
            let refreshed = try await h.request(.post, "/auth/refresh", json: ["refreshToken": refresh])
            #expect(refreshed.status == .forbidden, "\(refreshed.text)")
            let again = try await h.request(
                .post, "/auth/login", json: ["email": "owner@example.com", "password": GatewayHarness.password])
            #expect(again.status == .forbidden, "\(again.text)")
        }
    }

    /// DELETED is terminal through the API: an ADMIN could PATCH a deleted user back to ACTIVE.
    @Test(arguments: GatewayHarness.Backend.available)
    func aDeletedUserStaysDeleted(_ backend: GatewayHarness.Backend) async throws {
        try await GatewayHarness.with(mode: .local, backend: backend) { h in
            let (admin, _, memberID, authorizerID) = try await Self.tenantWithMember(h)
            try await h.authorizerAdmin(
                "mutation ($p: DeleteUserRequest!) { _delete_user(params: $p) { message } }",
                variables: ["p": ["id": authorizerID]])
            #expect(
                try await h.eventually {
                    try await UserStore(h.database).find(authorizerID: authorizerID)?.status == .deleted
                })
            for change: [String: Any] in [["status": "ACTIVE"], ["role": "ADMIN"], ["status": "SUSPENDED"]] {
                let reply = try await h.request(.patch, "/users/\(memberID)", json: change, bearer: admin)
                #expect(reply.status == .badRequest, "\(change): \(reply.text)")
            }
            #expect(try await UserStore(h.database).find(authorizerID: authorizerID)?.status == .deleted)
        }
    }

    /// An invitation carries its author's rights only while they hold them: one made by an ADMIN
    /// later demoted (or suspended) admitted its holder as ADMIN all the same.
    @Test func anInvitationIsCheckedAgainstItsAuthorsRightsWhenItIsUsed() async throws {
        try await GatewayHarness.with(mode: .local) { h in
            let (boss, member, memberID, _) = try await Self.tenantWithMember(h)
            #expect(
                try await h.request(.patch, "/users/\(memberID)", json: ["role": "ADMIN"], bearer: boss).status == .ok)
            var tokens: [String] = []
            for email in ["x@example.com", "y@example.com"] {
                let invite = try await h.request(
                    .post, "/invitations", json: ["email": email, "role": "ADMIN"], bearer: member)
                tokens.append(try #require(invite.json["token"].string, "\(invite.text)"))
            }
            // The author is demoted: neither invitation admits anyone, by signup or by accept.
            #expect(
                try await h.request(.patch, "/users/\(memberID)", json: ["role": "USER"], bearer: boss).status == .ok)
            let bySignup = try await h.request(
                .post, "/auth/signup",
                json: [
                    "email": "x@example.com", "password": GatewayHarness.password,
                    "confirmPassword": GatewayHarness.password, "invitationToken": tokens[0],
                ])
            #expect(bySignup.status == .badRequest, "\(bySignup.text)")
            #expect(bySignup.json["detail"].string?.contains("can no longer invite") == true, "\(bySignup.text)")
            try await h.signup("y@example.com")
            let y = try await h.login("y@example.com")
            let byAccept = try await h.request(.post, "/invitations/accept", json: ["token": tokens[1]], bearer: y)
            #expect(byAccept.status == .badRequest, "\(byAccept.text)")
            #expect(try await UserStore(h.database).find(email: "y@example.com")?.tenantID == nil)
        }
    }
}
