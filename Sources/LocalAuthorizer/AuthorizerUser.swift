import AuthorizerClient
import Foundation
import GraphQL
import SQLKit

/// A user as the local Authorizer stores it. `passwordHash` is a bcrypt hash and never leaves
/// this module.
struct AuthorizerUser: Sendable, Equatable {
    var id: String
    var email: String
    var passwordHash: String?
    var signupMethods: String
    var givenName: String?
    var familyName: String?
    var middleName: String?
    var nickname: String?
    var gender: String?
    var birthdate: String?
    var phoneNumber: String?
    var picture: String?
    var roles: [String]
    var emailVerifiedAt: Int64?
    var phoneNumberVerifiedAt: Int64?
    var revokedTimestamp: Int64?
    var appData: String?
    var createdAt: Int64
    var updatedAt: Int64

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: String.self)
        email = try row.decode(column: "email", as: String.self)
        passwordHash = try row.decode(column: "password", as: String?.self)
        signupMethods = try row.decode(column: "signup_methods", as: String.self)
        givenName = try row.decode(column: "given_name", as: String?.self)
        familyName = try row.decode(column: "family_name", as: String?.self)
        middleName = try row.decode(column: "middle_name", as: String?.self)
        nickname = try row.decode(column: "nickname", as: String?.self)
        gender = try row.decode(column: "gender", as: String?.self)
        birthdate = try row.decode(column: "birthdate", as: String?.self)
        phoneNumber = try row.decode(column: "phone_number", as: String?.self)
        picture = try row.decode(column: "picture", as: String?.self)
        roles = try row.decode(column: "roles", as: String.self).split(separator: ",").map(String.init)
        emailVerifiedAt = try row.decode(column: "email_verified_at", as: Int64?.self)
        phoneNumberVerifiedAt = try row.decode(column: "phone_number_verified_at", as: Int64?.self)
        revokedTimestamp = try row.decode(column: "revoked_timestamp", as: Int64?.self)
        appData = try row.decode(column: "app_data", as: String?.self)
        createdAt = try row.decode(column: "created_at", as: Int64.self)
        updatedAt = try row.decode(column: "updated_at", as: Int64.self)
    }

    init(id: String, email: String, passwordHash: String?, roles: [String], now: Int64) {
        self.id = id
        self.email = email
        self.passwordHash = passwordHash
        self.signupMethods = "basic_auth"
        self.roles = roles
        self.createdAt = now
        self.updatedAt = now
    }

    /// The `User` object of the GraphQL API, keyed by field name; absent keys read as null.
    var graphQLValue: [String: any Sendable] {
        var user: [String: any Sendable] = [
            "id": id,
            "email": email,
            "email_verified": emailVerifiedAt != nil,
            "signup_methods": signupMethods,
            "phone_number_verified": phoneNumberVerifiedAt != nil,
            "roles": roles,
            "created_at": Int(createdAt),
            "updated_at": Int(updatedAt),
            "is_multi_factor_auth_enabled": false,
            "enrolled_mfa_methods": [String](),
            "preferred_username": email,
        ]
        user["given_name"] = givenName
        user["family_name"] = familyName
        user["middle_name"] = middleName
        user["nickname"] = nickname
        user["gender"] = gender
        user["birthdate"] = birthdate
        user["phone_number"] = phoneNumber
        user["picture"] = picture
        user["revoked_timestamp"] = revokedTimestamp.map { Int($0) }
        if let appData, let map = try? JSONDecoder().decode(Map.self, from: Data(appData.utf8)) {
            user["app_data"] = map
        }
        return user.compactMapValues { $0 }
    }

    /// The user as Authorizer 2.4 puts it in webhook bodies: `AsAPIUser` marshalled with its
    /// json tags (`internal/graph/model/models_gen.go`), so null and empty fields are left out,
    /// except `enrolled_mfa_methods`, which has no omitempty and is never set there: `null`.
    var webhookValue: [String: JSONValue] {
        var user = identityValue
        user["enrolled_mfa_methods"] = .null
        if let appData, case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(appData.utf8)),
            !object.isEmpty
        {
            user["app_data"] = .object(object)
        }
        return user
    }

    /// The user's identity claims in an id token: null fields left out.
    var identityValue: [String: JSONValue] {
        var user: [String: JSONValue] = [
            "id": .string(id),
            "email_verified": .bool(emailVerifiedAt != nil),
            "signup_methods": .string(signupMethods),
            "phone_number_verified": .bool(phoneNumberVerifiedAt != nil),
            "roles": .array(roles.map(JSONValue.string)),
            "created_at": .int(createdAt),
            "updated_at": .int(updatedAt),
        ]
        if !email.isEmpty {
            user["email"] = .string(email)
            user["preferred_username"] = .string(email)
        }
        let optional: [(String, String?)] = [
            ("given_name", givenName), ("family_name", familyName), ("middle_name", middleName),
            ("nickname", nickname), ("gender", gender), ("birthdate", birthdate),
            ("phone_number", phoneNumber), ("picture", picture),
        ]
        for (key, value) in optional { if let value, !value.isEmpty { user[key] = .string(value) } }
        if let revokedTimestamp { user["revoked_timestamp"] = .int(revokedTimestamp) }
        return user
    }
}

extension AuthorizerUser {
    /// Applies the profile fields of an `update_profile` or `_update_user` input: names and the
    /// like, a new email, and `app_data`.
    mutating func applyProfile(_ params: Map) throws(AuthorizerError) {
        for (field, path) in [
            ("given_name", \AuthorizerUser.givenName), ("family_name", \.familyName), ("middle_name", \.middleName),
            ("nickname", \.nickname), ("gender", \.gender), ("birthdate", \.birthdate),
            ("phone_number", \.phoneNumber), ("picture", \.picture),
        ] {
            if case .string(let value) = params[field] { self[keyPath: path] = value }
        }
        // Compared as given, stored lowercased (`service/update_profile.go`).
        if case .string(let text) = params["email"], text != email {
            guard AuthService.isEmail(text.lowercased()) else { throw .invalid("invalid email address") }
            email = text.lowercased()
        }
        if case .dictionary = params["app_data"], let data = try? JSONEncoder().encode(params["app_data"]) {
            appData = String(decoding: data, as: UTF8.self)
        }
    }
}
