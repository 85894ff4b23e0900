import AuthorizerClient
import Foundation
import Hummingbird
import PlatformDB

/// `/reports`: everyone in the tenant reads them and creates them; a USER edits and deletes their
/// own, an ADMIN any.
struct ReportController: RouteAdding, Sendable {
    let store: ReportStore
    let crossTenant: CrossTenantAudit

    static let maxJSONBytes = 256 * 1024

    func addRoutes(to routes: RouteGroups) {
        let group = routes.tenant
        group.get("/reports") { request, context in try await list(request, context) }
        group.post("/reports") { request, context in try await create(request, context) }
        group.get("/reports/:id") { _, context in try await read(context) }
        group.patch("/reports/:id") { request, context in try await update(request, context) }
        group.delete("/reports/:id") { _, context in try await delete(context) }
    }

    struct ReportDTO: ResponseEncodable {
        var id: String
        var title: String
        var workflowId: String?
        var status: String
        var parameters: JSONValue
        var content: JSONValue?
        var createdBy: String?
        var createdAt: Date
        var updatedAt: Date

        init(_ record: ReportRecord) {
            id = record.id
            title = record.title
            workflowId = record.workflowID
            status = record.status.rawValue
            parameters = (try? JSONDecoder().decode(JSONValue.self, from: Data(record.parameters.utf8))) ?? .object([:])
            content = record.content.flatMap { try? JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) }
            createdBy = record.createdBy
            createdAt = record.createdAt
            updatedAt = record.updatedAt
        }
    }

    struct PageDTO: ResponseEncodable {
        var items: [ReportDTO]
        var nextCursor: String?
    }

    struct Body: Decodable {
        var title: String?
        var workflowId: String??
        var status: String?
        var parameters: JSONValue?
        var content: JSONValue??
        static let fields: Set<String> = ["title", "workflowId", "status", "parameters", "content"]

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            title = try container.decodeIfPresent(String.self, forKey: .title)
            workflowId =
                container.contains(.workflowId)
                ? .some(try container.decodeIfPresent(String.self, forKey: .workflowId)) : .none
            status = try container.decodeIfPresent(String.self, forKey: .status)
            parameters = try container.decodeIfPresent(JSONValue.self, forKey: .parameters)
            content =
                container.contains(.content)
                ? .some(try container.decodeIfPresent(JSONValue.self, forKey: .content)) : .none
        }

        enum CodingKeys: String, CodingKey { case title, workflowId, status, parameters, content }
    }

    private func list(_ request: Request, _ context: TenantContext) async throws -> PageDTO {
        try context.require(.readReports)
        let query = request.uri.queryParameters
        let limit = try Pagination.limit(query.get("limit"))
        let cursor = try query.get("cursor").map(Pagination.decode)
        var filter = ReportFilter()
        filter.workflowID = try query.get("workflowId").map { try Self.wellFormed($0, field: "workflowId") }
        filter.createdBy = try query.get("createdBy").map { try Self.wellFormed($0, field: "createdBy") }
        filter.status = try query.get("status").map { try Self.status($0) }
        filter.createdFrom = try query.get("createdFrom").map { try Self.date($0, field: "createdFrom") }
        filter.createdTo = try query.get("createdTo").map { try Self.date($0, field: "createdTo") }
        let rows = try await store.reading { [scope = context.scope, filter] in
            try await $0.list(in: scope, filter: filter, limit: limit + 1, after: cursor)
        }
        let (items, next) = Pagination.page(rows, limit: limit, ReportDTO.init)
        return PageDTO(items: items, nextCursor: next)
    }

    private func create(_ request: Request, _ context: TenantContext) async throws -> EditedResponse<ReportDTO> {
        try context.require(.createReports)
        let body = try await JSONBody.decode(
            Body.self, from: request, allowed: Body.fields, maxBytes: 2 * Self.maxJSONBytes)
        guard body.title != nil else { throw Problem.badRequest("'title' is required", field: "title") }
        let input = try Self.input(body)
        switch try await store.create(input, in: context.scope) {
        case .success(let report): return EditedResponse(status: .created, response: ReportDTO(report))
        case .failure(let error): throw await problem(error, id: nil, input: input, context)
        }
    }

    private func read(_ context: TenantContext) async throws -> ReportDTO {
        try context.require(.readReports)
        let id = try Self.id(context)
        guard let report = try await store.reading({ [scope = context.scope] in try await $0.find(id, in: scope) })
        else {
            throw await problem(.notFound, id: id, input: nil, context)
        }
        return ReportDTO(report)
    }

    private func update(_ request: Request, _ context: TenantContext) async throws -> ReportDTO {
        let owner = try Self.ownerLimit(context)
        let body = try await JSONBody.decode(
            Body.self, from: request, allowed: Body.fields, maxBytes: 2 * Self.maxJSONBytes)
        let id = try Self.id(context)
        let input = try Self.input(body)
        switch try await store.update(id, with: input, onlyCreatedBy: owner, in: context.scope) {
        case .success(let report): return ReportDTO(report)
        case .failure(let error): throw await problem(error, id: id, input: input, context)
        }
    }

    private func delete(_ context: TenantContext) async throws -> Response {
        let owner = try Self.ownerLimit(context)
        let id = try Self.id(context)
        guard try await store.delete(id, onlyCreatedBy: owner, in: context.scope) else {
            throw await problem(.notFound, id: id, input: nil, context)
        }
        return Response(status: .noContent)
    }

    /// An ADMIN may change any report; a USER only their own (someone else's reads as not found).
    static func ownerLimit(_ context: TenantContext) throws -> String? {
        if (try? context.require(.manageReports)) != nil { return nil }
        try context.require(.editOwnReports)
        return context.user.id
    }

    static func input(_ body: Body) throws -> ReportInput {
        var input = ReportInput()
        if let title = body.title { input.title = try JSONBody.text(title, field: "title", max: 200) }
        if let workflow = body.workflowId {
            input.workflowID = try workflow.map { try wellFormed($0, field: "workflowId") }
        }
        input.status = try body.status.map(status)
        if let parameters = body.parameters {
            guard case .object = parameters else {
                throw Problem.badRequest("'parameters' must be an object", field: "parameters")
            }
            input.parameters = try encoded(parameters, field: "parameters")
        }
        if let content = body.content { input.content = try content.map { try encoded($0, field: "content") } }
        return input
    }

    static func encoded(_ value: JSONValue, field: String) throws -> String {
        let data = try JSONEncoder().encode(value)
        guard data.count <= maxJSONBytes else {
            throw Problem(
                .contentTooLarge, type: "field-too-large", title: "Too large", detail: "'\(field)' is over 256 KiB")
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func status(_ text: String) throws -> ReportStatus {
        guard let status = ReportStatus(rawValue: text.uppercased()) else {
            throw Problem.badRequest("'status' must be one of PENDING, READY, FAILED", field: "status")
        }
        return status
    }

    static func wellFormed(_ id: String, field: String) throws -> String {
        guard Identifier.isWellFormed(id) else { throw Problem.badRequest("'\(field)' is not an id", field: field) }
        return id
    }

    static func date(_ text: String, field: String) throws -> Date {
        guard let date = try? Date(text, strategy: .iso8601), Date.storableRange.contains(date) else {
            throw Problem.badRequest("'\(field)' must be an ISO 8601 date-time in years 0001–9999", field: field)
        }
        return date
    }

    static func id(_ context: TenantContext) throws -> String {
        try wellFormed(try context.parameters.require("id"), field: "id")
    }

    /// The problem for a refused write; a foreign report or workflow is audited, and answered like a missing one.
    private func problem(_ error: ReportStore.WriteError, id: String?, input: ReportInput?, _ context: TenantContext)
        async -> Problem
    {
        switch error {
        case .notFound: if let id { await crossTenant.recordIfForeign(.reports, id: id, in: context.scope) }
        case .unknownWorkflow:
            if let workflow = input?.workflowID ?? nil {
                await crossTenant.recordIfForeign(.workflows, id: workflow, in: context.scope)
            }
        }
        return Self.problem(error)
    }

    static func problem(_ error: ReportStore.WriteError) -> Problem {
        switch error {
        case .notFound: Problem(.notFound, type: "not-found", title: "Not found", detail: "no such report")
        case .unknownWorkflow: Problem.badRequest("'workflowId' names no workflow of this tenant", field: "workflowId")
        }
    }
}
