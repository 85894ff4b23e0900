import AuthorizerClient

/// A resolver failure in Authorizer 2.4's words and codes (`internal/graph/`, `internal/service/`).
struct AuthorizerError: Error, Sendable, CustomStringConvertible {
    var message: String
    /// `extensions.code`; nil for Authorizer's plain `fmt.Errorf` errors, which carry none
    /// (`internal/http_handlers/graphql.go`, `graphQLErrorPresenter`).
    var code: Code?

    enum Code: String, Sendable {
        case invalidArgument = "INVALID_ARGUMENT"
        case unauthenticated = "UNAUTHENTICATED"
        case permissionDenied = "PERMISSION_DENIED"
        case notFound = "NOT_FOUND"
        case failedPrecondition = "FAILED_PRECONDITION"
        case tooManyRequests = "TOO_MANY_REQUESTS"
        case alreadyExists = "ALREADY_EXISTS"
        case internalError = "INTERNAL"
    }

    var description: String { message }

    static let invalidCredentials = AuthorizerError(message: "invalid credentials", code: .unauthenticated)
    static let unauthorized = AuthorizerError(message: "unauthorized", code: .unauthenticated)
    static let invalidToken = AuthorizerError(message: "invalid token", code: .unauthenticated)
    static let signupFailed = AuthorizerError(
        message: "signup failed. please check your credentials or try a different method", code: .invalidArgument)
    static let tooManyAttempts = AuthorizerError(
        message: "too many failed attempts, please try again later", code: .tooManyRequests)
    static let passwordMismatch = AuthorizerError(
        message: "password and confirm password does not match", code: .invalidArgument)
    static let userNotFound = AuthorizerError(message: "user not found", code: .notFound)

    static func invalid(_ message: String) -> AuthorizerError {
        AuthorizerError(message: message, code: .invalidArgument)
    }
}
