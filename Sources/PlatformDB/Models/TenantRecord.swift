import Foundation
import SQLKit

/// A row of `clients`: one tenant. In Swift a tenant is `Tenant*` and its id `tenantID`; the
/// table, the `client_id` columns, the `/clients` routes and the API's `clientId` and `clientName`
/// keep the name the database and the API were published with. ("Client" alone in this code is an
/// HTTP or Authorizer client; Authorizer's `--authorizer-client-id` is its OAuth client.)
public struct TenantRecord: Sendable, Equatable {
    public var id: String
    public var name: String
    public var slug: String
    public var status: TenantStatus
    public var createdAt: Date
    public var updatedAt: Date

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: String.self)
        name = try row.decode(column: "name", as: String.self)
        slug = try row.decode(column: "slug", as: String.self)
        let statusText = try row.decode(column: "status", as: String.self)
        guard let status = TenantStatus(rawValue: statusText) else {
            throw PlatformDBError.constraintViolation("clients row \(id) has status \(statusText)")
        }
        self.status = status
        createdAt = try row.decode(column: "created_at", as: Date.self)
        updatedAt = try row.decode(column: "updated_at", as: Date.self)
    }
}
