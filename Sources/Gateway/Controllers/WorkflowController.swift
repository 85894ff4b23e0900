import AuthorizerClient
import Foundation
import Hummingbird
import PlatformDB

/// `/workflows`: the tenant's workflows, with optimistic concurrency (ETag / If-Match).
struct WorkflowController: RouteAdding, Sendable {
    let store: WorkflowStore
    let crossTenant: CrossTenantAudit
    /// Pages already written, until the tenant's workflows change (see ``TenantPageCache``).
    let pages: TenantPageCache

    static let maxDefinitionBytes = 256 * 1024

    func addRoutes(to routes: RouteGroups) {
        let group = routes.tenant
        group.get("/workflows") { request, context in try await list(request, context) }
        group.post("/workflows") { request, context in try await create(request, context) }
        group.get("/workflows/:id") { _, context in try await read(context) }
        group.patch("/workflows/:id") { request, context in try await update(request, context) }
        group.delete("/workflows/:id") { request, context in try await delete(request, context) }
    }

    /// A workflow as the API shows it. Its definition is stored as JSON text, written by this
    /// controller from a validated value, and goes into the body as it is (see ``JSONWriter``).
    struct WorkflowDTO: ResponseGenerator {
        let record: WorkflowRecord

        init(_ record: WorkflowRecord) { self.record = record }

        func write(to json: inout JSONWriter) {
            json.raw("{")
            json.field("id", first: true) { $0.string(record.id) }
            json.field("name") { $0.string(record.name) }
            if let description = record.description { json.field("description") { $0.string(description) } }
            json.field("status") { $0.string(record.status.rawValue) }
            json.field("definition") { $0.raw(Self.storedJSON(record.definition)) }
            json.field("version") { $0.raw(String(record.version)) }
            if let createdBy = record.createdBy { json.field("createdBy") { $0.string(createdBy) } }
            json.field("createdAt") { $0.date(record.createdAt) }
            json.field("updatedAt") { $0.date(record.updatedAt) }
            json.raw("}")
        }

        /// The stored definition, or `{}` if the text is not an object (never written by this API).
        static func storedJSON(_ text: String) -> String {
            text.utf8.first == UInt8(ascii: "{") && text.utf8.last == UInt8(ascii: "}") ? text : "{}"
        }

        func response(from request: Request, context: some RequestContext) throws -> Response {
            var json = JSONWriter()
            write(to: &json)
            return json.response()
        }
    }

    struct PageDTO {
        var items: [WorkflowDTO]
        var nextCursor: String?

        func body() -> ByteBuffer {
            var json = JSONWriter(capacity: 512 * max(items.count, 1))
            json.raw("{\"items\":[")
            for (index, item) in items.enumerated() {
                if index > 0 { json.raw(",") }
                item.write(to: &json)
            }
            json.raw("]")
            if let nextCursor { json.field("nextCursor") { $0.string(nextCursor) } }
            json.raw("}")
            return json.buffer()
        }

        /// The same bytes as ``body()`` from a page PostgreSQL wrote (`RenderedPageTests`).
        static func body(_ page: RenderedPage, limit: Int) -> ByteBuffer {
            var json = JSONWriter(capacity: page.items.utf8.count + 160)
            json.raw("{\"items\":[")
            json.raw(page.items)
            json.raw("]")
            if page.rows > limit, let last = page.last {
                json.field("nextCursor") { $0.string(Pagination.encode(last)) }
            }
            json.raw("}")
            return json.buffer()
        }

        static func response(_ body: ByteBuffer) -> Response {
            Response(status: .ok, headers: [.contentType: JSONWriter.contentType], body: .init(byteBuffer: body))
        }
    }

    struct Body: Decodable {
        var name: String?
        var description: String??
        var status: String?
        var definition: JSONValue?
        static let fields: Set<String> = ["name", "description", "status", "definition"]

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            // Absent leaves the description alone; null clears it.
            description =
                container.contains(.description)
                ? .some(try container.decodeIfPresent(String.self, forKey: .description)) : .none
            status = try container.decodeIfPresent(String.self, forKey: .status)
            definition = try container.decodeIfPresent(JSONValue.self, forKey: .definition)
        }

        enum CodingKeys: String, CodingKey { case name, description, status, definition }
    }

    private func list(_ request: Request, _ context: TenantContext) async throws -> Response {
        try context.require(.readWorkflows)
        let query = request.uri.queryParameters
        let limit = try Pagination.limit(query.get("limit"))
        let cursorText = query.get("cursor")
        let cursor = try cursorText.map(Pagination.decode)
        let status = try query.get("status").map { try Self.status($0, field: "status") }
        let search = query.get("search")
        if let search, search.count > 200 {
            throw Problem.badRequest("'search' is longer than 200 characters", field: "search")
        }
        // Neither database's text holds U+0000 (PostgreSQL refuses it with 22021).
        if let search, search.utf8.contains(0) {
            throw Problem.badRequest("'search' contains a NUL character (U+0000)", field: "search")
        }
        // The search goes last: no other part can hold a "|", so no two queries share a key.
        let key = "\(limit)|\(status?.rawValue ?? "")|\(cursorText ?? "")|\(search ?? "")"
        let read = { @Sendable [store, scope = context.scope] in
            try await store.reading { store in
                // The usual, unfiltered page: written by PostgreSQL (nil on SQLite).
                if status == nil, search?.isEmpty ?? true,
                    let page = try await store.renderedPage(in: scope, limit: limit + 1, after: cursor)
                {
                    return PageDTO.body(page, limit: limit)
                }
                let rows = try await store.list(
                    in: scope, status: status, nameContains: search, limit: limit + 1, after: cursor)
                let (items, next) = Pagination.page(rows, limit: limit, WorkflowDTO.init)
                return PageDTO(items: items, nextCursor: next).body()
            }
        }
        switch pages.lookup(key, in: context.scope) {
        case .hit(let body):
            return PageDTO.response(body)
        case .refresh(let body, let ticket):
            Task { [pages, scope = context.scope] in
                // A failed read leaves the page to expire at its maximum age.
                if let fresh = try? await read() { pages.store(fresh, for: key, in: scope, ticket: ticket) }
            }
            return PageDTO.response(body)
        case .miss(let ticket):
            let body = try await read()
            pages.store(body, for: key, in: context.scope, ticket: ticket)
            return PageDTO.response(body)
        case .bypass:
            return PageDTO.response(try await read())
        }
    }

    private func create(_ request: Request, _ context: TenantContext) async throws -> EditedResponse<WorkflowDTO> {
        try context.require(.manageWorkflows)
        let body = try await JSONBody.decode(
            Body.self, from: request, allowed: Body.fields, maxBytes: Self.maxDefinitionBytes + 16 * 1024)
        guard let name = body.name else { throw Problem.badRequest("'name' is required", field: "name") }
        guard let definition = body.definition else {
            throw Problem.badRequest("'definition' is required", field: "definition")
        }
        let input = try Self.input(
            name: name, description: body.description, status: body.status, definition: definition)
        defer { pages.invalidate(context.scope) }
        let record = try await store.create(input, in: context.scope)
        return Self.response(record, status: .created)
    }

    private func read(_ context: TenantContext) async throws -> EditedResponse<WorkflowDTO> {
        try context.require(.readWorkflows)
        let id = try Self.id(context)
        guard let record = try await store.reading({ [scope = context.scope] in try await $0.find(id, in: scope) })
        else {
            throw await notFound(id, context)
        }
        return Self.response(record, status: .ok)
    }

    private func update(_ request: Request, _ context: TenantContext) async throws -> EditedResponse<WorkflowDTO> {
        try context.require(.manageWorkflows)
        let id = try Self.id(context)
        let body = try await JSONBody.decode(
            Body.self, from: request, allowed: Body.fields, maxBytes: Self.maxDefinitionBytes + 16 * 1024)
        let input = try Self.input(
            name: body.name, description: body.description, status: body.status, definition: body.definition)
        defer { pages.invalidate(context.scope) }
        switch try await store.update(id, with: input, expectedVersion: try Self.ifMatch(request), in: context.scope) {
        case .written(let record): return Self.response(record, status: .ok)
        case .notFound: throw await notFound(id, context)
        case .versionMismatch(let current): throw Self.stale(current)
        }
    }

    private func delete(_ request: Request, _ context: TenantContext) async throws -> Response {
        try context.require(.manageWorkflows)
        let id = try Self.id(context)
        defer { pages.invalidate(context.scope) }
        switch try await store.delete(id, expectedVersion: try Self.ifMatch(request), in: context.scope) {
        case .written: return Response(status: .noContent)
        case .notFound: throw await notFound(id, context)
        case .versionMismatch(let current): throw Self.stale(current)
        }
    }

    // MARK: Validation

    static let notFound = Problem(.notFound, type: "not-found", title: "Not found", detail: "no such workflow")

    /// 404, the same for a missing and a foreign workflow; a foreign one is audited.
    private func notFound(_ id: String, _ context: TenantContext) async -> Problem {
        await crossTenant.recordIfForeign(.workflows, id: id, in: context.scope)
        return Self.notFound
    }

    static func stale(_ current: Int) -> Problem {
        Problem(
            .preconditionFailed, type: "stale-version", title: "Stale version",
            detail: "the workflow changed (now version \(current)); read it again and retry")
    }

    static func id(_ context: TenantContext) throws -> String {
        let id = try context.parameters.require("id")
        guard Identifier.isWellFormed(id) else { throw Problem.badRequest("not a workflow id", field: "id") }
        return id
    }

    /// `If-Match: "3"` → 3; absent → unconditional.
    static func ifMatch(_ request: Request) throws -> Int? {
        guard let header = request.headers[.ifMatch] else { return nil }
        let text = header.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        guard let version = Int(text), version > 0 else {
            throw Problem.badRequest("If-Match must be an ETag of this API", field: "If-Match")
        }
        return version
    }

    static func status(_ text: String, field: String) throws -> WorkflowStatus {
        guard let status = WorkflowStatus(rawValue: text.uppercased()) else {
            throw Problem.badRequest("'\(field)' must be one of DRAFT, ACTIVE, PAUSED, ARCHIVED", field: field)
        }
        return status
    }

    static func input(name: String?, description: String??, status: String?, definition: JSONValue?) throws
        -> WorkflowInput
    {
        var input = WorkflowInput()
        if let name {
            let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...200).contains(trimmed.count) else {
                throw Problem.badRequest("'name' must be 1–200 characters", field: "name")
            }
            input.name = trimmed
        }
        if let description {
            if let text = description, text.count > 2000 {
                throw Problem.badRequest("'description' is longer than 2000 characters", field: "description")
            }
            input.description = description
        }
        input.status = try status.map { try Self.status($0, field: "status") }
        if let definition {
            try DefinitionValidator.validate(definition)
            let data = try JSONEncoder().encode(definition)
            guard data.count <= maxDefinitionBytes else {
                throw Problem(
                    .contentTooLarge, type: "definition-too-large", title: "Definition too large",
                    detail: "at most 256 KiB")
            }
            input.definition = String(decoding: data, as: UTF8.self)
        }
        return input
    }

    /// The workflow with its version as the ETag.
    static func response(_ record: WorkflowRecord, status: HTTPResponse.Status) -> EditedResponse<WorkflowDTO> {
        EditedResponse(status: status, headers: [.eTag: "\"\(record.version)\""], response: WorkflowDTO(record))
    }
}
