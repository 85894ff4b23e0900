import AuthorizerClient
import Hummingbird
import PlatformDB

/// The problem kinds the gateway answers with, each with a stable `type`.
extension Problem {
    static func unauthenticated(_ detail: String) -> Problem {
        var problem = Problem(.unauthorized, type: "invalid-token", title: "Invalid or missing token", detail: detail)
        problem.headers = [.wwwAuthenticate: #"Bearer error="invalid_token""#]
        return problem
    }

    static func badRequest(_ detail: String, field: String? = nil) -> Problem {
        var problem = Problem(.badRequest, type: "invalid-request", title: "Invalid request", detail: detail)
        problem.field = field
        return problem
    }

    static func forbidden(_ type: String, _ detail: String) -> Problem {
        Problem(.forbidden, type: type, title: "Forbidden", detail: detail)
    }

    /// Authorizer's refusal of a new password, in this product's words on the field at fault
    /// (`validators/password.go`: 6 to 36 characters, and the strong rule when it is on); nil for
    /// any other refusal.
    static func passwordRefusal(_ error: AuthorizerClientError) -> Problem? {
        guard case .invalidArgument(let message) = error else { return nil }
        let lower = message.lowercased()
        if lower.contains("confirm password") {
            return badRequest("The two passwords differ: type the same password twice.", field: "confirmPassword")
        }
        guard lower.contains("password") else { return nil }
        // The strong rule's words only when Authorizer applied it (its message names it).
        return badRequest(
            lower.contains("uppercase")
                ? "Choose a password of 6 to 36 characters with an upper and a lower case letter, a digit and a symbol."
                : "Choose a password of 6 to 36 characters.",
            field: "password")
    }

    /// How each Authorizer failure reaches the client.
    static func from(_ error: AuthorizerClientError) -> Problem {
        switch error {
        case .unauthenticated(let message):
            return Problem(.unauthorized, type: "invalid-credentials", title: "Invalid credentials", detail: message)
        case .notFound(let message):
            return Problem(.unauthorized, type: "invalid-credentials", title: "Invalid credentials", detail: message)
        case .invalidArgument(let message):
            return Problem(
                .badRequest, type: "authorizer-refused", title: "Refused by the identity provider", detail: message)
        case .tooManyRequests(let after):
            var problem = Problem(
                .tooManyRequests, type: "too-many-requests", title: "Too many requests", detail: error.description)
            if let after { problem.headers = [.retryAfter: String(after)] }
            return problem
        case .refused(let code, let message):
            return Problem(
                .forbidden, type: "authorizer-refused", title: "Refused by the identity provider",
                detail: "\(code): \(message)")
        case .csrfRejected, .protocolError:
            return Problem(
                .badGateway, type: "authorizer-error", title: "Identity provider error", detail: error.description)
        case .unavailable:
            return Problem(
                .serviceUnavailable, type: "authorizer-unavailable", title: "Identity provider unavailable",
                detail: "the identity provider cannot be reached; try again shortly")
        }
    }

    static func from(_ error: PlatformDBError) -> Problem {
        switch error {
        case .alreadyExists(let table, let field):
            var problem = Problem(
                .conflict, type: "already-exists", title: "Already exists", detail: "\(table).\(field) is taken")
            problem.field = field
            return problem
        case .notFound(let what):
            return Problem(.notFound, type: "not-found", title: "Not found", detail: what)
        case .constraintViolation:
            return Problem(
                .unprocessableContent, type: "constraint-violation", title: "Invalid value",
                detail: "a value was refused")
        case .invalidValue:
            return Problem.badRequest(
                "a value cannot be stored (out of range, too long, or a character the database refuses)")
        default:
            return Problem(
                .serviceUnavailable, type: "database-unavailable", title: "Database unavailable", detail: nil)
        }
    }
}
