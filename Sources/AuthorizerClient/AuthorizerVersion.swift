/// The Authorizer server's GraphQL dialect: 1.x and 2.x name their inputs differently (CONTRACT
/// §1), and 2.0–2.3 take `_users(params: PaginatedRequest)` where 2.4 takes `ListUsersRequest`.
/// Every document is written for 2.4 and rewritten for the others.
public enum AuthorizerVersion: Int, Sendable, CustomStringConvertible, CaseIterable {
    /// 1.x: `…Input` names.
    case v1 = 1
    /// 2.4 and later.
    case v2 = 2
    /// 2.0 to 2.3: `PaginatedRequest` for `_users`.
    case v2Paginated = 23

    public var description: String {
        switch self {
        case .v1: "1.x"
        case .v2: "2.4"
        case .v2Paginated: "2.0-2.3"
        }
    }

    /// The version from `meta { version }` (`"2.4.0"`, `"2.3.1"`, `"1.4.4"`, `"2.4.0-local"`); nil
    /// when it does not say (`latest`, `0.1.0-local` and `0.0.1` are what builds of any version
    /// report), and then ``fromSchema(hasListUsersRequest:hasPaginatedRequest:)`` decides.
    public init?(metaVersion: String) {
        let numbers = metaVersion.drop { !$0.isNumber }.split(separator: ".", maxSplits: 2).map {
            Int($0.prefix { $0.isNumber })
        }
        switch (numbers.first ?? nil, numbers.count > 1 ? numbers[1] : nil) {
        case (1?, _): self = .v1
        case (2?, let minor?) where minor < 4: self = .v2Paginated
        case (2?, _), (3?, _): self = .v2
        default: return nil
        }
    }

    /// The `--authorizer-version` setting: `1`, `2` or `2.4` (2.4 and later), `2.0` to `2.3`.
    public init?(setting: String) {
        switch setting.trimmingCharacters(in: .whitespaces) {
        case "1", "1.x": self = .v1
        case "2", "2.x", "2.4": self = .v2
        case "2.0", "2.1", "2.2", "2.3": self = .v2Paginated
        default: return nil
        }
    }

    /// The version a schema shows: which input type `_users` takes (from introspection).
    public static func fromSchema(hasListUsersRequest: Bool, hasPaginatedRequest: Bool) -> AuthorizerVersion? {
        if hasListUsersRequest { return .v2 }
        if hasPaginatedRequest { return .v2Paginated }
        return nil
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

    /// `document` with each whole-word type name in `renames` replaced, outside string literals
    /// (an introspection query names types in strings, and means them as written).
    public static func rename(_ document: String, using renames: [String: String]) -> String {
        var result = ""
        result.reserveCapacity(document.utf8.count)
        var word = ""
        var inString = false
        var escaped = false
        for character in document {
            if inString {
                result.append(character)
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    inString = false
                }
                continue
            }
            if character == "\"" {
                result += renames[word] ?? word
                word = ""
                result.append(character)
                inString = true
                continue
            }
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

    /// A document written with 2.4 names, as this version must receive it.
    public func document(_ v2: String) -> String {
        switch self {
        case .v2: v2
        case .v2Paginated:
            Self.rename(v2, using: ["ListUsersRequest": "PaginatedRequest"]).replacingOccurrences(
                of: " should_offer_email_otp_mfa_setup", with: "")
        case .v1:
            Self.rename(v2, using: Self.toV1).replacingOccurrences(of: " should_offer_email_otp_mfa_setup", with: "")
        }
    }
}
