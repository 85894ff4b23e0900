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

/// Authorizer 2.x's password rules and their exact messages.
enum PasswordPolicy {
    static func check(_ password: String, strong: Bool) throws(AuthorizerError) {
        guard (6...36).contains(password.utf8.count) else {
            throw .invalid("password must be of minimum 6 characters and maximum 36 characters")
        }
        guard strong else { return }
        let hasUpper = password.unicodeScalars.contains { CharacterSetRanges.upper.contains($0.value) }
        let hasLower = password.unicodeScalars.contains { CharacterSetRanges.lower.contains($0.value) }
        let hasDigit = password.unicodeScalars.contains { CharacterSetRanges.digit.contains($0.value) }
        let hasOther = password.unicodeScalars.contains { scalar in
            ![CharacterSetRanges.upper, CharacterSetRanges.lower, CharacterSetRanges.digit].contains {
                $0.contains(scalar.value)
            }
        }
        guard hasUpper, hasLower, hasDigit, hasOther else {
            throw .invalid(
                "password is not valid. It needs to be at least 6 characters long and contain at least one number, one uppercase letter, one lowercase letter and one special character"
            )
        }
    }

    private enum CharacterSetRanges {
        static let upper: ClosedRange<UInt32> = 0x41...0x5A
        static let lower: ClosedRange<UInt32> = 0x61...0x7A
        static let digit: ClosedRange<UInt32> = 0x30...0x39
    }
}

/// 1.x documents name their inputs `…Input`; 2.x renamed them `…Request`. Rewriting the names
/// before validation lets 1.x clients work unchanged (1.x names its inputs `*Input`, 2.x `*Request`).
enum LegacyInputNames {
    /// `document` with every 1.x input name, as a whole word, replaced by its 2.x name.
    static func translate(_ document: String) -> String {
        guard document.contains("Input") else { return document }
        return AuthorizerVersion.rename(document, using: AuthorizerVersion.inputRenames)
    }
}
