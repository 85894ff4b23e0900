import Testing

@testable import AuthorizerClient

/// How Authorizer's `errors[]` entries become typed errors.
@Suite struct ErrorMappingTests {
    /// Before 2.4 a missing record is the storage's own error with no code: gorm's "record not
    /// found" (2.3.0 `internal/service/admin_users.go`), MongoDB's "no documents in result". It
    /// is NOT_FOUND, so that reconcile can delete a user gone from a 2.0-2.3 server.
    @Test func aMissingRecordBefore24IsNotFound() {
        #expect(
            AuthorizerClientError.fromGraphQL(message: "record not found", code: nil) == .notFound("record not found"))
        #expect(
            AuthorizerClientError.fromGraphQL(message: "mongo: no documents in result", code: nil)
                == .notFound("mongo: no documents in result"))
        // The JWT library's own words (no code) stay a refusal, never a "not found".
        #expect(
            AuthorizerClientError.fromGraphQL(message: "Token is expired", code: nil)
                == .invalidArgument("Token is expired"))
    }
}
