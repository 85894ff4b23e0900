import AsyncHTTPClient
import Foundation
import Logging
import Metrics
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

extension AuthorizerClient {
    /// `_user` by id, with the admin secret.
    public func user(id: String) async throws -> AuthorizerUserInfo {
        try await call(
            AuthorizerDocuments.user, field: "_user", variables: ["params": .object(["id": .string(id)])],
            admin: true, idempotent: true)
    }

    /// `_user` by email, with the admin secret.
    public func user(email: String) async throws -> AuthorizerUserInfo {
        try await call(
            AuthorizerDocuments.user, field: "_user", variables: ["params": .object(["email": .string(email)])],
            admin: true, idempotent: true)
    }

    /// One page of Authorizer's users (`_users`, admin secret), 1-based.
    public func users(page: Int, limit: Int) async throws -> (users: [AuthorizerUserInfo], total: Int) {
        let response: UsersResponse = try await call(
            AuthorizerDocuments.users, field: "_users",
            variables: [
                "params": .object([
                    "pagination": .object(["limit": .int(Int64(limit)), "page": .int(Int64(page))])
                ])
            ],
            admin: true, idempotent: true)
        return (response.users, response.pagination.total)
    }

    struct UsersResponse: Decodable {
        struct Pagination: Decodable { var total: Int }
        var pagination: Pagination
        var users: [AuthorizerUserInfo]
    }
}
