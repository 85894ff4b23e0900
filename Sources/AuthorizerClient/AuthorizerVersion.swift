/// The major version of the Authorizer server: 1.x and 2.x name their GraphQL inputs differently
/// (CONTRACT §1), so every document is written for one of them.
public enum AuthorizerVersion: Int, Sendable, CustomStringConvertible {
    case v1 = 1
    case v2 = 2

    public var description: String { "\(rawValue).x" }

    /// The version from `meta { version }` (`"2.4.0"`, `"1.4.4"`, `"2.4.0-local"`).
    public init?(metaVersion: String) {
        let major = metaVersion.drop { !$0.isNumber }.prefix { $0.isNumber }
        switch Int(major) {
        case 1: self = .v1
        case 2: self = .v2
        default: return nil
        }
    }

    /// 1.x input type name → 2.x name. Names not listed are the same in both.
    public static let inputRenames: [String: String] = [
        "SignUpInput": "SignUpRequest", "LoginInput": "LoginRequest", "SessionQueryInput": "SessionQueryRequest",
        "ValidateJWTTokenInput": "ValidateJWTTokenRequest", "ValidateSessionInput": "ValidateSessionRequest",
        "UpdateProfileInput": "UpdateProfileRequest", "ForgotPasswordInput": "ForgotPasswordRequest",
        "ResetPasswordInput": "ResetPasswordRequest", "VerifyEmailInput": "VerifyEmailRequest",
        "ResendVerifyEmailInput": "ResendVerifyEmailRequest", "MagicLinkLoginInput": "MagicLinkLoginRequest",
        "UpdateUserInput": "UpdateUserRequest", "DeleteUserInput": "DeleteUserRequest",
        "UpdateAccessInput": "UpdateAccessRequest", "OAuthRevokeInput": "OAuthRevokeRequest",
        "PaginatedInput": "ListUsersRequest", "PaginationInput": "PaginationRequest",
    ]

    /// `document` with each whole-word type name in `renames` replaced.
    public static func rename(_ document: String, using renames: [String: String]) -> String {
        var result = ""
        result.reserveCapacity(document.utf8.count)
        var word = ""
        for character in document {
            if character.isLetter || character.isNumber || character == "_" {
                word.append(character)
            } else {
                result += renames[word] ?? word
                word = ""
                result.append(character)
            }
        }
        return result + (renames[word] ?? word)
    }

    private static let toV1 = Dictionary(uniqueKeysWithValues: inputRenames.map { ($0.value, $0.key) })

    /// A document written with 2.x names, as this version must receive it.
    public func document(_ v2: String) -> String {
        self == .v2 ? v2 : Self.rename(v2, using: Self.toV1)
    }
}
