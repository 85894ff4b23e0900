import Foundation
import Hummingbird
import PlatformDB

/// Onboarding (`POST /clients`), the tenant itself, its users and its audit log.
struct TenantController: RouteAdding, Sendable {
    let tenants: TenantStore
    let members: TenantUserStore
    let loader: UserContextLoader
    let crossTenant: CrossTenantAudit

    func addRoutes(to routes: RouteGroups) {
        let (signedIn, tenant) = (routes.signedIn, routes.tenant)
        signedIn.post("/clients") { request, context in try await createTenant(request, context) }
        tenant.get("/clients/current") { _, context in try await current(context) }
        tenant.patch("/clients/current") { request, context in try await rename(request, context) }
        tenant.get("/users") { request, context in try await list(request, context) }
        tenant.get("/users/:id") { _, context in try await member(context) }
        tenant.patch("/users/:id") { request, context in try await change(request, context) }
        tenant.get("/audit-log") { request, context in try await auditLog(request, context) }
    }

    struct TenantDTO: ResponseEncodable {
        var id: String
        var name: String
        var slug: String
        var status: String
        var createdAt: Date

        init(_ record: TenantRecord) {
            id = record.id
            name = record.name
            slug = record.slug
            status = record.status.rawValue
            createdAt = record.createdAt
        }
    }

    struct NameBody: Decodable { var name: String }

    private func createTenant(_ request: Request, _ context: AuthenticatedContext) async throws -> EditedResponse<
        TenantDTO
    > {
        guard context.user.role != .superAdmin else {
            throw Problem.forbidden("super-admin-not-tenant", "platform operators create tenants with /admin routes")
        }
        guard context.user.tenantID == nil else {
            throw Problem(
                .conflict, type: "already-in-tenant", title: "Already in a tenant",
                detail: "you already belong to a tenant")
        }
        let body = try await JSONBody.decode(NameBody.self, from: request, allowed: ["name"])
        let name = try JSONBody.text(body.name, field: "name", max: 200)
        let owner: UserRecord
        do {
            owner = try await tenants.createTenant(name: name, ownerAuthorizerID: context.user.authorizerID)
        } catch let error as PlatformDBError {
            throw Problem.from(error)
        }
        loader.invalidate(authorizerID: owner.authorizerID)
        guard let tenantID = owner.tenantID, let tenant = try await tenants.find(id: tenantID) else {
            throw Problem(.internalServerError, type: "internal", title: "Internal error")
        }
        return EditedResponse(status: .created, response: TenantDTO(tenant))
    }

    private func current(_ context: TenantContext) async throws -> TenantDTO {
        guard let tenant = try await tenants.current(in: context.scope) else {
            throw Problem(.notFound, type: "not-found", title: "Not found")
        }
        return TenantDTO(tenant)
    }

    private func rename(_ request: Request, _ context: TenantContext) async throws -> TenantDTO {
        try context.require(.renameTenant)
        let body = try await JSONBody.decode(NameBody.self, from: request, allowed: ["name"])
        let name = try JSONBody.text(body.name, field: "name", max: 200)
        guard let tenant = try await tenants.rename(to: name, in: context.scope) else {
            throw Problem(.notFound, type: "not-found", title: "Not found")
        }
        return TenantDTO(tenant)
    }

    struct UsersPage: ResponseEncodable {
        var items: [UserDTO]
        var nextCursor: String?
    }

    private func list(_ request: Request, _ context: TenantContext) async throws -> UsersPage {
        try context.require(.manageUsers)
        let limit = try Pagination.limit(request.uri.queryParameters.get("limit"))
        let cursor = try request.uri.queryParameters.get("cursor").map(Pagination.decode)
        let rows = try await members.list(in: context.scope, limit: limit + 1, after: cursor)
        let (items, next) = Pagination.page(rows, limit: limit, UserDTO.init)
        return UsersPage(items: items, nextCursor: next)
    }

    private func member(_ context: TenantContext) async throws -> UserDTO {
        try context.require(.manageUsers)
        let id = try Self.userID(context)
        guard let user = try await members.find(id, in: context.scope) else {
            await crossTenant.recordIfForeign(.users, id: id, in: context.scope)
            throw Self.notFound
        }
        return UserDTO(user)
    }

    struct ChangeBody: Decodable {
        var role: String?
        var status: String?
    }

    private func change(_ request: Request, _ context: TenantContext) async throws -> UserDTO {
        try context.require(.manageUsers)
        let id = try Self.userID(context)
        let body = try await JSONBody.decode(ChangeBody.self, from: request, allowed: ["role", "status"])
        let role = try body.role.map { text -> Role in
            guard let role = Role(rawValue: text.uppercased()), role != .superAdmin else {
                throw Problem.badRequest("'role' must be USER or ADMIN", field: "role")
            }
            return role
        }
        let status = try body.status.map { text -> UserStatus in
            guard let status = UserStatus(rawValue: text.uppercased()), [.active, .suspended].contains(status) else {
                throw Problem.badRequest("'status' must be ACTIVE or SUSPENDED", field: "status")
            }
            return status
        }
        guard role != nil || status != nil else {
            throw Problem.badRequest("nothing to change: give 'role' or 'status'")
        }
        switch try await members.change(id, role: role, status: status, in: context.scope) {
        case .success(let user):
            loader.invalidate(authorizerID: user.authorizerID)
            return UserDTO(user)
        case .failure(.notFound):
            await crossTenant.recordIfForeign(.users, id: id, in: context.scope)
            throw Self.notFound
        case .failure(.lastAdmin):
            throw Problem(
                .conflict, type: "last-admin", title: "Last admin",
                detail: "the tenant must keep at least one active ADMIN")
        case .failure(.notAllowed(let why)): throw Problem.badRequest(why)
        }
    }

    struct AuditDTO: ResponseEncodable {
        struct Entry: Encodable {
            var id: String
            var actor: String
            var action: String
            var target: String?
            var detail: String?
            var createdAt: Date
        }
        var items: [Entry]
    }

    private func auditLog(_ request: Request, _ context: TenantContext) async throws -> AuditDTO {
        try context.require(.readAuditLog)
        let limit = try Pagination.limit(request.uri.queryParameters.get("limit"))
        let entries = try await members.auditLog(in: context.scope, limit: limit)
        return AuditDTO(
            items: entries.map {
                .init(
                    id: $0.id, actor: $0.actor, action: $0.action, target: $0.target, detail: $0.detail,
                    createdAt: $0.createdAt)
            })
    }

    static let notFound = Problem(.notFound, type: "not-found", title: "Not found", detail: "no such user")

    static func userID(_ context: TenantContext) throws -> String {
        let id = try context.parameters.require("id")
        guard Identifier.isWellFormed(id) else { throw Problem.badRequest("not a user id", field: "id") }
        return id
    }
}
