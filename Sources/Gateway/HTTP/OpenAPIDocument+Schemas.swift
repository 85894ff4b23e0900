/// The component schemas of ``OpenAPIDocument``: every request and response body.
extension OpenAPIDocument {
    static func ref(_ name: String) -> [String: Any] { ["$ref": "#/components/schemas/\(name)"] }

    private static func object(_ properties: [String: Any], required: [String], closed: Bool = true) -> [String: Any] {
        var schema: [String: Any] = ["type": "object", "properties": properties, "required": required]
        if closed { schema["additionalProperties"] = false }
        return schema
    }

    private static var string: [String: Any] { ["type": "string"] }
    private static var dateTime: [String: Any] { ["type": "string", "format": "date-time"] }
    private static var id: [String: Any] { ["type": "string", "description": "A platform id."] }
    private static var anyJSON: [String: Any] { [:] }
    private static func page(of item: String) -> [String: Any] {
        object(["items": ["type": "array", "items": ref(item)], "nextCursor": string], required: ["items"])
    }

    static var schemas: [String: Any] {
        [
            "Problem": object(
                [
                    "type": ["type": "string", "format": "uri"], "title": string, "status": ["type": "integer"],
                    "detail": string,
                    "field": string, "requestId": string,
                ], required: ["type", "title", "status"]),
            "Health": object(
                [
                    "status": ["type": "string", "enum": ["ok", "ready"]],
                    "checks": ["type": "object", "additionalProperties": string],
                    "details": ["type": "object", "additionalProperties": string],
                ],
                required: ["status", "checks"]),
            "User": object(
                [
                    "id": id, "authorizerId": string, "email": string, "firstName": string, "lastName": string,
                    "role": ["type": "string", "enum": ["USER", "ADMIN", "SUPER_ADMIN"]],
                    "status": ["type": "string", "enum": ["ACTIVE", "PENDING_VERIFICATION", "SUSPENDED", "DELETED"]],
                    "clientId": id, "createdAt": dateTime, "lastLoginAt": dateTime,
                ], required: ["id", "authorizerId", "email", "role", "status", "createdAt"]),
            "UserPage": page(of: "User"),
            "Session": object(
                [
                    "accessToken": string, "refreshToken": string, "expiresIn": ["type": "integer"],
                    "expiresAt": dateTime,
                    "message": string, "user": ref("User"),
                ], required: ["message", "user"]),
            "Tokens": object(
                ["accessToken": string, "refreshToken": string, "expiresIn": ["type": "integer"]],
                required: ["accessToken"]),
            "Message": object(["message": string], required: ["message"]),
            "ChallengeNext": object(
                [
                    "step": ["type": "string", "enum": ["mfa-enrol", "mfa-verify", "email-code"]],
                    "methods": [
                        "type": "array", "items": ["type": "string", "enum": ["totp", "recovery-code", "email"]],
                    ],
                    "canSkip": ["type": "boolean"], "handle": string, "expiresAt": dateTime,
                    "totp": object(
                        [
                            "secret": string, "scannerImage": string,
                            "recoveryCodes": ["type": "array", "items": string],
                        ], required: ["secret", "recoveryCodes"]),
                ], required: ["step", "methods", "canSkip", "handle", "expiresAt"]),
            "Challenge": object(["message": string, "next": ref("ChallengeNext")], required: ["message", "next"]),
            // Signup's 202: a message alone while Authorizer verifies the email, or a challenge.
            "SignupAccepted": object(["message": string, "next": ref("ChallengeNext")], required: ["message"]),
            "Verify": object(
                ["valid": ["type": "boolean"], "user": ref("User"), "reason": string], required: ["valid"]),
            "Client": object(
                [
                    "id": id, "name": string, "slug": string,
                    "status": ["type": "string", "enum": ["ACTIVE", "SUSPENDED"]],
                    "createdAt": dateTime,
                ], required: ["id", "name", "slug", "status", "createdAt"]),
            "ClientPage": page(of: "Client"),
            "Workflow": object(
                [
                    "id": id, "name": string, "description": string,
                    "status": ["type": "string", "enum": ["DRAFT", "ACTIVE", "PAUSED", "ARCHIVED"]],
                    "definition": ref("WorkflowDefinition"), "version": ["type": "integer", "minimum": 1],
                    "createdBy": id,
                    "createdAt": dateTime, "updatedAt": dateTime,
                ], required: ["id", "name", "status", "definition", "version", "createdAt", "updatedAt"]),
            "WorkflowPage": page(of: "Workflow"),
            "WorkflowDefinition": object(
                [
                    "trigger": object(["type": ["type": "string", "minLength": 1]], required: ["type"], closed: false),
                    "steps": [
                        "type": "array",
                        "items": object(
                            ["type": ["type": "string", "minLength": 1]], required: ["type"], closed: false),
                    ],
                ], required: ["trigger", "steps"], closed: false
            ).merging(
                [
                    "description":
                        "The workflow's JSON definition, at most 256 KiB: a trigger and steps, each with a type."
                ]) { $1 },
            "Report": object(
                [
                    "id": id, "title": string, "workflowId": id,
                    "status": ["type": "string", "enum": ["PENDING", "READY", "FAILED"]],
                    "parameters": ["type": "object"], "content": anyJSON, "createdBy": id, "createdAt": dateTime,
                    "updatedAt": dateTime,
                ], required: ["id", "title", "status", "parameters", "createdAt", "updatedAt"]),
            "ReportPage": page(of: "Report"),
            "Invitation": object(
                [
                    "id": id, "email": string, "role": ["type": "string", "enum": ["USER", "ADMIN"]],
                    "status": ["type": "string", "enum": ["OPEN", "ACCEPTED", "REVOKED", "EXPIRED"]],
                    "expiresAt": dateTime,
                    "token": ["type": "string", "description": "Only in the answer that created it."],
                ], required: ["id", "email", "role", "status", "expiresAt"]),
            "InvitationList": object(["items": ["type": "array", "items": ref("Invitation")]], required: ["items"]),
            "AuditLog": object(
                [
                    "items": [
                        "type": "array",
                        "items": object(
                            [
                                "id": id, "actor": string, "action": string, "target": string, "detail": string,
                                "createdAt": dateTime,
                            ],
                            required: ["id", "actor", "action", "createdAt"]),
                    ]
                ], required: ["items"]),
            "WebhookEvents": object(
                [
                    "events": [
                        "type": "array",
                        "items": object(
                            [
                                "id": id, "eventName": string, "authorizerId": string, "receivedAt": dateTime,
                                "status": ["type": "string", "enum": ["PENDING", "APPLIED", "FAILED"]],
                                "attempts": ["type": "integer"],
                                "lastError": string,
                            ], required: ["id", "eventName", "authorizerId", "receivedAt", "status", "attempts"]),
                    ]
                ], required: ["events"]),
            "ReconcileReport": object(
                [
                    "created": ["type": "integer"], "updated": ["type": "integer"], "deleted": ["type": "integer"],
                    "unchanged": ["type": "integer"], "dryRun": ["type": "boolean"],
                    "skipped": [
                        "type": "array",
                        "description": "Users whose drift could not be applied, and why; the rest was applied.",
                        "items": object(
                            ["authorizerId": string, "reason": string], required: ["authorizerId", "reason"]),
                    ],
                ], required: ["created", "updated", "deleted", "unchanged", "dryRun", "skipped"]),
            "WebhookAccepted": object(
                ["status": ["type": "string", "enum": ["accepted", "duplicate"]]], required: ["status"]),
            "WebhookEvent": object(
                [
                    "event_name": [
                        "type": "string",
                        "description":
                            "user.signup, user.login, user.deleted, user.deactivated, user.access_revoked, user.access_enabled (Authorizer 2.x may suffix a channel).",
                    ],
                    "event": string,
                    "webhook_id": string,
                    "user": object(["id": string, "email": string], required: ["id"], closed: false),
                ], required: ["user"], closed: false),

            "SignupRequest": object(
                [
                    "email": ["type": "string", "format": "email"], "password": string, "confirmPassword": string,
                    "firstName": ["type": "string", "maxLength": 100],
                    "lastName": ["type": "string", "maxLength": 100],
                    "clientName": ["type": "string", "maxLength": 200],
                    "invitationToken": ["type": "string", "description": "From an invitation; not with clientName."],
                ], required: ["email", "password", "confirmPassword"]),
            "LoginRequest": object(
                [
                    "email": ["type": "string", "format": "email"], "password": string,
                    "offlineAccess": ["type": "boolean"],
                ],
                required: ["email", "password"]),
            "RefreshRequest": object(["refreshToken": string], required: ["refreshToken"]),
            "EmailRequest": object(["email": ["type": "string", "format": "email"]], required: ["email"]),
            "ResetPasswordRequest": object(
                ["token": string, "password": string, "confirmPassword": string],
                required: ["token", "password", "confirmPassword"]),
            "TokenRequest": object(["token": string], required: ["token"]),
            "CodeRequest": object(
                ["handle": ["type": "string", "maxLength": 100], "code": ["type": "string", "maxLength": 64]],
                required: ["handle", "code"]),
            "CodeExchangeRequest": object(
                [
                    "code": ["type": "string", "maxLength": 200], "state": ["type": "string", "maxLength": 200],
                    "redirectUri": ["type": "string", "maxLength": 2000],
                ], required: ["code", "state", "redirectUri"]),
            "OAuthStartRequest": object(
                ["redirectUri": ["type": "string", "maxLength": 2000]], required: ["redirectUri"]),
            "OAuthStart": object(["authorizationURL": string], required: ["authorizationURL"]),
            "AuthOptions": object(
                [
                    "signup": ["type": "boolean"], "magicLink": ["type": "boolean"],
                    "strongPassword": ["type": "boolean"], "emailVerification": ["type": "boolean"],
                ], required: ["signup", "magicLink", "strongPassword", "emailVerification"]),
            "LinkTokensRequest": object(
                ["accessToken": ["type": "string", "maxLength": 8192], "refreshToken": string, "state": string],
                required: ["accessToken", "state"]),
            "HandleRequest": object(["handle": ["type": "string", "maxLength": 100]], required: ["handle"]),
            "ProfilePatch": object(
                [
                    "firstName": ["type": "string", "maxLength": 100],
                    "lastName": ["type": "string", "maxLength": 100],
                ], required: []),
            "NameRequest": object(["name": ["type": "string", "minLength": 1, "maxLength": 200]], required: ["name"]),
            "UserChange": object(
                [
                    "role": ["type": "string", "enum": ["USER", "ADMIN"]],
                    "status": ["type": "string", "enum": ["ACTIVE", "SUSPENDED"]],
                ],
                required: []),
            "InvitationRequest": object(
                [
                    "email": ["type": "string", "format": "email"],
                    "role": ["type": "string", "enum": ["USER", "ADMIN"]],
                ], required: ["email"]),
            "WorkflowCreate": object(
                [
                    "name": ["type": "string", "minLength": 1, "maxLength": 200],
                    "description": ["type": ["string", "null"], "maxLength": 2000],
                    "status": ["type": "string", "enum": ["DRAFT", "ACTIVE", "PAUSED", "ARCHIVED"]],
                    "definition": ref("WorkflowDefinition"),
                ], required: ["name", "definition"]),
            "WorkflowPatch": object(
                [
                    "name": ["type": "string", "minLength": 1, "maxLength": 200],
                    "description": ["type": ["string", "null"], "maxLength": 2000],
                    "status": ["type": "string", "enum": ["DRAFT", "ACTIVE", "PAUSED", "ARCHIVED"]],
                    "definition": ref("WorkflowDefinition"),
                ], required: []),
            "ReportCreate": object(
                [
                    "title": ["type": "string", "minLength": 1, "maxLength": 200],
                    "workflowId": ["type": ["string", "null"]],
                    "status": ["type": "string", "enum": ["PENDING", "READY", "FAILED"]],
                    "parameters": ["type": "object"], "content": anyJSON,
                ], required: ["title"]),
            "ReportPatch": object(
                [
                    "title": ["type": "string", "minLength": 1, "maxLength": 200],
                    "workflowId": ["type": ["string", "null"]],
                    "status": ["type": "string", "enum": ["PENDING", "READY", "FAILED"]],
                    "parameters": ["type": "object"], "content": anyJSON,
                ], required: []),
            "ReconcileRequest": object(["dryRun": ["type": "boolean"]], required: []),
            "ClientStatusChange": object(
                ["status": ["type": "string", "enum": ["ACTIVE", "SUSPENDED"]]], required: ["status"]),
        ]
    }
}
