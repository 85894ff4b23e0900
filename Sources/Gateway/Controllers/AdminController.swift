import Foundation
import Hummingbird
import PlatformDB

/// Operator routes: the webhook inbox and reconciliation.
struct AdminController: RouteAdding, Sendable {
    let inbox: WebhookInbox
    let worker: WebhookWorker?
    let reconciler: Reconciler?
    let tenants: TenantStore
    let users: UserStore
    let audit: AuditLog
    /// Drops a changed tenant's members at once on this instance (others hear it from PostgreSQL).
    let loader: UserContextLoader

    init(stores: Stores, worker: WebhookWorker?, auth: AuthServices) {
        inbox = stores.inbox
        self.worker = worker
        reconciler = auth.reconciler
        tenants = stores.tenants
        users = stores.users
        audit = stores.audit
        loader = auth.loader
    }

    func addRoutes(to routes: RouteGroups) {
        let admin = routes.operators
        admin.get("/webhook-events") { request, _ in try await events(request) }
        admin.post("/webhook-events/:id/replay") { _, context in try await replay(context) }
        admin.post("/reconcile") { request, context in try await reconcile(request, context) }
        admin.get("/clients") { request, _ in try await listTenants(request) }
        admin.post("/clients") { request, context in try await createTenant(request, context) }
        admin.patch("/clients/:id") { request, context in try await changeTenant(request, context) }
        admin.get("/users") { request, _ in try await listUsers(request) }
    }

    struct TenantsPage: ResponseEncodable {
        var items: [TenantController.TenantDTO]
        var nextCursor: String?
    }

    private func listTenants(_ request: Request) async throws -> TenantsPage {
        let limit = try Pagination.limit(request.uri.queryParameters.get("limit"))
        let cursor = try request.uri.queryParameters.get("cursor").map(Pagination.decode)
        let rows = try await tenants.all(limit: limit + 1, after: cursor)
        let (items, next) = Pagination.page(rows, limit: limit, TenantController.TenantDTO.init)
        return TenantsPage(items: items, nextCursor: next)
    }

    private func createTenant(_ request: Request, _ context: SuperAdminContext) async throws -> EditedResponse<
        TenantController.TenantDTO
    > {
        let body = try await JSONBody.decode(TenantController.NameBody.self, from: request, allowed: ["name"])
        let tenant = try await tenants.create(
            name: try JSONBody.text(body.name, field: "name", max: 200), by: context.user, audit: audit)
        return EditedResponse(status: .created, response: TenantController.TenantDTO(tenant))
    }

    struct StatusBody: Decodable { var status: String }

    private func changeTenant(_ request: Request, _ context: SuperAdminContext) async throws
        -> TenantController.TenantDTO
    {
        let id = try context.parameters.require("id")
        guard Identifier.isWellFormed(id) else { throw Problem.badRequest("not a client id", field: "id") }
        let body = try await JSONBody.decode(StatusBody.self, from: request, allowed: ["status"])
        guard let status = TenantStatus(rawValue: body.status.uppercased()) else {
            throw Problem.badRequest("'status' must be ACTIVE or SUSPENDED", field: "status")
        }
        guard let tenant = try await tenants.setStatus(status, of: id, by: context.user, audit: audit) else {
            throw Problem(.notFound, type: "not-found", title: "Not found", detail: "no such client")
        }
        loader.invalidate(tenantID: id)
        return TenantController.TenantDTO(tenant)
    }

    struct UsersPage: ResponseEncodable {
        var items: [UserDTO]
        var nextCursor: String?
    }

    private func listUsers(_ request: Request) async throws -> UsersPage {
        let limit = try Pagination.limit(request.uri.queryParameters.get("limit"))
        let cursor = try request.uri.queryParameters.get("cursor").map(Pagination.decode)
        let rows = try await users.all(limit: limit + 1, after: cursor)
        let (items, next) = Pagination.page(rows, limit: limit, UserDTO.init)
        return UsersPage(items: items, nextCursor: next)
    }

    struct EventDTO: ResponseCodable {
        var id: String
        var eventName: String
        var authorizerId: String
        var receivedAt: Date
        var status: String
        var attempts: Int
        var lastError: String?
    }

    struct EventsDTO: ResponseCodable {
        var events: [EventDTO]
    }

    private func events(_ request: Request) async throws -> EventsDTO {
        let status = request.uri.queryParameters.get("status").map { $0.uppercased() }
        if let status, !["PENDING", "APPLIED", "FAILED"].contains(status) {
            throw Problem.badRequest("status must be pending, applied or failed", field: "status")
        }
        let limit =
            try request.uri.queryParameters.get("limit").map { text -> Int in
                guard let value = Int(text), (1...500).contains(value) else {
                    throw Problem.badRequest("limit must be 1–500", field: "limit")
                }
                return value
            } ?? 100
        let events = try await inbox.events(status: status, limit: limit)
        return EventsDTO(
            events: events.map {
                EventDTO(
                    id: $0.id, eventName: $0.eventName, authorizerId: $0.authorizerID, receivedAt: $0.receivedAt,
                    status: $0.status,
                    attempts: $0.attempts, lastError: $0.lastError)
            })
    }

    private func replay(_ context: SuperAdminContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard Identifier.isWellFormed(id) else { throw Problem.badRequest("not an event id", field: "id") }
        guard try await inbox.replay(id: id) else {
            throw Problem(.notFound, type: "not-found", title: "Not found", detail: "no such event")
        }
        try await audit.record(actor: context.user.id, action: "webhook.replayed", target: id)
        worker?.wake()
        return Response(status: .accepted)
    }

    struct ReconcileRequest: Decodable {
        var dryRun: Bool?
    }

    private func reconcile(_ request: Request, _ context: SuperAdminContext) async throws -> Reconciler.Report {
        guard let reconciler else {
            throw Problem(
                .serviceUnavailable, type: "reconcile-unavailable", title: "Reconcile unavailable",
                detail: "configure the Authorizer admin secret to reconcile")
        }
        let body: ReconcileRequest
        if request.headers[.contentLength] == "0"
            || request.headers[.contentLength] == nil && request.headers[.transferEncoding] == nil
        {
            body = ReconcileRequest(dryRun: nil)
        } else {
            body = try await JSONBody.decode(ReconcileRequest.self, from: request, allowed: ["dryRun"])
        }
        return try await reconciler.run(dryRun: body.dryRun ?? false, actor: context.user.id)
    }
}

extension Reconciler.Report: ResponseCodable {}
