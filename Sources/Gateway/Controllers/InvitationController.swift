import Foundation
import Hummingbird
import PlatformDB

/// `/invitations`: ADMINs invite by email with a role; the invitee accepts with the one-time token.
struct InvitationController: RouteAdding, Sendable {
    let store: InvitationStore
    let loader: UserContextLoader
    let crossTenant: CrossTenantAudit

    func addRoutes(to routes: RouteGroups) {
        let (signedIn, tenant) = (routes.signedIn, routes.tenant)
        tenant.post("/invitations") { request, context in try await create(request, context) }
        tenant.get("/invitations") { _, context in try await list(context) }
        tenant.delete("/invitations/:id") { _, context in try await revoke(context) }
        signedIn.post("/invitations/accept") { request, context in try await accept(request, context) }
    }

    struct InvitationDTO: ResponseEncodable {
        var id: String
        var email: String
        var role: String
        var status: String
        var expiresAt: Date
        /// Present only in the answer that created it.
        var token: String?

        init(_ record: InvitationRecord, token: String? = nil, now: Date = Date()) {
            id = record.id
            email = record.email
            role = record.role.rawValue
            status =
                record.acceptedAt != nil
                ? "ACCEPTED" : record.revokedAt != nil ? "REVOKED" : record.expiresAt <= now ? "EXPIRED" : "OPEN"
            expiresAt = record.expiresAt
            self.token = token
        }
    }

    struct ListDTO: ResponseEncodable { var items: [InvitationDTO] }

    struct CreateBody: Decodable {
        var email: String
        var role: String?
    }

    private func create(_ request: Request, _ context: TenantContext) async throws -> EditedResponse<InvitationDTO> {
        try context.require(.manageInvitations)
        let body = try await JSONBody.decode(CreateBody.self, from: request, allowed: ["email", "role"])
        let email = try JSONBody.text(body.email, field: "email").lowercased()
        guard email.contains("@"), !email.hasPrefix("@"), !email.hasSuffix("@") else {
            throw Problem.badRequest("'email' is not an email address", field: "email")
        }
        let role = try (body.role ?? "USER").uppercased()
        guard let parsed = Role(rawValue: role), parsed != .superAdmin else {
            throw Problem.badRequest("'role' must be USER or ADMIN", field: "role")
        }
        let (record, token) = try await store.create(email: email, role: parsed, in: context.scope)
        return EditedResponse(status: .created, response: InvitationDTO(record, token: token))
    }

    private func list(_ context: TenantContext) async throws -> ListDTO {
        try context.require(.manageInvitations)
        return ListDTO(items: try await store.list(in: context.scope).map { InvitationDTO($0) })
    }

    private func revoke(_ context: TenantContext) async throws -> Response {
        try context.require(.manageInvitations)
        let id = try context.parameters.require("id")
        guard Identifier.isWellFormed(id) else { throw Problem.badRequest("not an invitation id", field: "id") }
        guard try await store.revoke(id, in: context.scope) else {
            await crossTenant.recordIfForeign(.invitations, id: id, in: context.scope)
            throw Problem(.notFound, type: "not-found", title: "Not found", detail: "no open invitation with this id")
        }
        return Response(status: .noContent)
    }

    struct AcceptBody: Decodable { var token: String }

    private func accept(_ request: Request, _ context: AuthenticatedContext) async throws -> UserDTO {
        let body = try await JSONBody.decode(AcceptBody.self, from: request, allowed: ["token"])
        switch try await store.accept(token: body.token, for: context.user) {
        case .success(let user):
            loader.invalidate(authorizerID: user.authorizerID)
            return UserDTO(user)
        case .failure(let error):
            throw Self.problem(error)
        }
    }

    /// Each refusal in plain words, with a stable type.
    static func problem(_ error: InvitationStore.AcceptError) -> Problem {
        let detail =
            switch error {
            case .unknown: "this invitation does not exist"
            case .used: "this invitation has already been used"
            case .revoked: "this invitation was revoked"
            case .expired: "this invitation has expired"
            case .otherEmail: "this invitation is for another email address"
            case .alreadyInTenant: "you already belong to a tenant"
            case .platformOperator: "a platform operator cannot join a tenant"
            case .inviterLacksRights:
                "whoever sent this invitation can no longer invite to this tenant; ask an ADMIN for a new one"
            }
        var problem = Problem(
            [.alreadyInTenant, .platformOperator].contains(error) ? .conflict : .badRequest, type: "invitation-invalid",
            title: "Invitation not accepted", detail: detail)
        problem.field = "invitationToken"
        return problem
    }
}
