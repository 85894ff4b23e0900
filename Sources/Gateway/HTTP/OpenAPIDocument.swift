import Foundation

/// The gateway's OpenAPI 3.1 document, served at `GET /openapi.json`.
///
/// It is written here, next to the routes, as data: one ``Operation`` per route. A test compares
/// it with the router's routes both ways, and CI runs schemathesis against a live gateway with it.
enum OpenAPIDocument {
    /// One route: how it is called and every answer it gives.
    struct Operation {
        var method: String
        var path: String
        var summary: String
        var tag: String
        var secured = true
        var query: [Parameter] = []
        var body: Body?
        var success: [Int: String?]
        /// Error statuses besides the ones every operation of its kind can answer.
        var errors: Set<Int> = []
        var successHeaders: [String: Any] = [:]
    }

    struct Parameter {
        var name: String
        var description: String
        var schema: [String: Any]
    }

    enum Body {
        /// A JSON object with this component schema.
        case json(String)
        /// Bytes checked before they are parsed (webhooks).
        case raw(String)
    }

    static var operations: [Operation] {
        let page = [
            Parameter(
                name: "limit", description: "Page size, 1–100 (default 20).",
                schema: ["type": "integer", "minimum": 1, "maximum": 100]),
            Parameter(
                name: "cursor", description: "The `nextCursor` of the previous page.",
                schema: ["type": "string", "maxLength": 200]),
        ]
        let open = {
            (method: String, path: String, summary: String, body: String?, success: [Int: String?], errors: Set<Int>) in
            Operation(
                method: method, path: path, summary: summary, tag: "auth", secured: false, body: body.map { .json($0) },
                success: success,
                errors: errors)
        }
        var all: [Operation] = [
            Operation(
                method: "GET", path: "/healthz", summary: "Liveness: the process is up.", tag: "operations",
                secured: false, success: [200: "Health"]),
            Operation(
                method: "GET", path: "/readyz",
                summary:
                    "Readiness: the database answers, migrations are applied, Authorizer answers and its JWKS is loaded. 503 names what fails.",
                tag: "operations", secured: false, success: [200: "Health"], errors: [503]),
            Operation(
                method: "GET", path: "/metrics", summary: "Prometheus metrics (text exposition format).",
                tag: "operations", secured: false, success: [200: "metrics"]),
            Operation(
                method: "GET", path: "/openapi.json", summary: "This document.", tag: "operations", secured: false,
                success: [200: "document"]),
            Operation(
                method: "GET", path: "/",
                summary: "reports-client, the web front end (no-cache, ETag, strict Content-Security-Policy).",
                tag: "web", secured: false, success: [200: "page"]),
            Operation(
                method: "GET", path: "/app/{file}",
                summary: "A file of reports-client: a JavaScript module, the stylesheet or the icon.", tag: "web",
                secured: false, success: [200: "asset"], errors: [404]),

            open(
                "POST", "/auth/signup",
                "Sign up at Authorizer; the platform user is created before the answer. With `clientName` a tenant is created with the user as its ADMIN; with `invitationToken` the user joins the inviting tenant. 202 while Authorizer verifies the email (a message only), or asks for a second factor first (a Challenge: its `next` step and handle, completed at `/auth/mfa/*`): the company or invitation asked for is kept.",
                "SignupRequest", [201: "Session", 202: "SignupAccepted"], [400, 403, 409, 429, 502, 503]),
            open(
                "POST", "/auth/login",
                "Log in at Authorizer. 202 with a Challenge when Authorizer asks for a second factor or mails a code (an address not verified yet): complete it at `/auth/mfa/*` with the handle.",
                "LoginRequest", [200: "Session", 202: "Challenge"], [400, 401, 403, 429, 502, 503]),
            open(
                "POST", "/auth/mfa/verify",
                "Complete a challenge with the authenticator app's 6-digit code (enrolment or sign-in). 401 `invalid-code` (wrong or already used), 401 `challenge-expired` (unknown handle, or Authorizer's 3-minute MFA session ended), 429 after too many codes. Limited per IP and per email.",
                "CodeRequest", [200: "Session"], [400, 401, 429, 502, 503]),
            open(
                "POST", "/auth/mfa/recovery",
                "Complete a `mfa-verify` challenge with a recovery code; each works once. Errors as `/auth/mfa/verify`.",
                "CodeRequest", [200: "Session"], [400, 401, 429, 502, 503]),
            open(
                "POST", "/auth/mfa/email-code",
                "Complete an `email-code` challenge with the mailed code (valid one minute). 401 `code-expired` asks for a new one at `/auth/mfa/email`.",
                "CodeRequest", [200: "Session"], [400, 401, 429, 502, 503]),
            open(
                "POST", "/auth/mfa/email",
                "Mail a code: at `mfa-enrol` to set up email as the second factor, at `email-code` anew. The challenge moves to `email-code`. 409 `email-code-unavailable` at `mfa-verify`.",
                "HandleRequest", [200: "Challenge"], [400, 401, 409, 429, 502, 503]),
            open(
                "POST", "/auth/mfa/skip",
                "Skip setting up a second factor where Authorizer allows it (MFA optional, nothing enrolled). 409 `mfa-enrolment-required` where it is enforced.",
                "HandleRequest", [200: "Session"], [400, 401, 409, 429, 502, 503]),
            open(
                "POST", "/auth/refresh",
                "Exchange a refresh token (rotated) for new tokens; 403 for a user login would refuse (suspended, deleted, or in a suspended tenant).",
                "RefreshRequest", [200: "Tokens"], [400, 401, 403, 429, 502, 503]),
            open(
                "POST", "/auth/forgot-password", "Ask Authorizer to mail a password-reset link.", "EmailRequest",
                [202: "Message"], [400, 401, 403, 429, 502, 503]),
            open(
                "POST", "/auth/reset-password", "Set a new password with the mailed token.", "ResetPasswordRequest",
                [200: "Message"], [400, 401, 403, 429, 502, 503]),
            open(
                "POST", "/auth/verify-email",
                "Verify the email with the mailed token (a verification or magic link); answers a session, or 202 with a Challenge when Authorizer asks for a second factor first.",
                "TokenRequest", [200: "Session", 202: "Challenge"], [400, 401, 403, 429, 502, 503]),
            open(
                "POST", "/auth/verify", "For internal services: whether a token is valid, and its user.",
                "TokenRequest", [200: "Verify"], [400, 503]),
            Operation(
                method: "GET", path: "/auth/me", summary: "The signed-in user.", tag: "auth", success: [200: "User"]),
            Operation(
                method: "PATCH", path: "/auth/me", summary: "Change the signed-in user's names (at Authorizer too).",
                tag: "auth", body: .json("ProfilePatch"), success: [200: "User"], errors: [400, 401, 403, 429, 502]),
            Operation(
                method: "GET", path: "/auth/options",
                summary:
                    "What the sign-in forms may offer, from Authorizer's meta: signup, sign-in by mailed link, whether the strong-password rule is on, email verification.",
                tag: "auth", secured: false, success: [200: "AuthOptions"], errors: [502, 503]),
            open(
                "POST", "/auth/magic-link",
                "Ask Authorizer to mail a sign-in link (magic_link_login; an unknown address becomes an account where signup is on). One answer whether or not the address has an account, held to one floor of time. Its link leads back to the web app (--web-app-url) with the tokens, for /auth/magic-link/complete, and works only in this browser (a state in an HttpOnly cookie, 30 minutes). Same origin only. Limited per IP and per email.",
                "EmailRequest", [202: "Message"], [400, 403, 429, 502, 503]),
            open(
                "POST", "/auth/magic-link/complete",
                "The tokens and state a followed sign-in link brought back (Authorizer's GET /verify_email puts them in the address); 400 `sign-in-not-started` unless the state is the one this browser's request set. The access token is checked as any bearer token, a refresh token is rotated at Authorizer and kept in the session cookie, and the user is provisioned as at login. Same origin only. Limited per IP.",
                "LinkTokensRequest", [200: "Session"], [400, 401, 403, 429, 502, 503]),
            open(
                "POST", "/auth/oauth/start",
                "Start \"Sign in with Authorizer\" (authorization code with PKCE, S256): the gateway keeps a new verifier and state in an HttpOnly cookie (10 minutes) and answers Authorizer's /authorize address to send the browser to. Same origin only (403 `csrf-refused`, as /auth/session). Limited per IP.",
                "OAuthStartRequest", [200: "OAuthStart"], [400, 403, 429]),
            open(
                "POST", "/auth/oauth/token",
                "Exchange the code Authorizer returned, with the state it came with and the same redirect URI, for a session (the cookie's verifier goes to Authorizer's /oauth/token); the user is provisioned as at login. 400 `sign-in-not-started` (no or another state), 400 `invalid-grant` with Authorizer's reason (a spent or expired code, a verifier that does not match). Same origin only. Limited per IP.",
                "CodeExchangeRequest", [200: "Session"], [400, 401, 403, 429, 502, 503]),
            Operation(
                method: "POST", path: "/auth/session",
                summary:
                    "The web app's session: a fresh access token and the user, from the HttpOnly cookie that sign-ins set when asked with `X-Platform-Session: cookie` (the refresh token, rotated here). Same origin only: 403 `csrf-refused` without that header or from another Origin; 401 `no-session` without a usable cookie.",
                tag: "auth", secured: false, success: [200: "Session"], errors: [401, 403, 429, 502, 503]),
            Operation(
                method: "DELETE", path: "/auth/session",
                summary:
                    "End the web app's session: the cookie's refresh token is revoked at Authorizer and the cookie cleared.",
                tag: "auth", secured: false, success: [204: nil], errors: [403, 429, 502, 503]),
            Operation(
                method: "POST", path: "/auth/logout",
                summary: "End the session at Authorizer; the token is refused from now on.", tag: "auth",
                success: [204: nil], errors: [429, 502]),

            Operation(
                method: "POST", path: "/clients",
                summary: "Create a tenant; the caller, who has none yet, becomes its ADMIN.", tag: "tenant",
                body: .json("NameRequest"), success: [201: "Client"], errors: [400, 409]),
            Operation(
                method: "GET", path: "/clients/current", summary: "The caller's tenant.", tag: "tenant",
                success: [200: "Client"]),
            Operation(
                method: "PATCH", path: "/clients/current", summary: "Rename the tenant (ADMIN).", tag: "tenant",
                body: .json("NameRequest"), success: [200: "Client"], errors: [400, 409]),
            Operation(
                method: "GET", path: "/users", summary: "The tenant's users (ADMIN).", tag: "tenant", query: page,
                success: [200: "UserPage"], errors: [400]),
            Operation(
                method: "GET", path: "/users/{id}", summary: "One user of the tenant (ADMIN).", tag: "tenant",
                success: [200: "User"], errors: [400, 404]),
            Operation(
                method: "PATCH", path: "/users/{id}",
                summary: "Change a user's role or status (ADMIN); the last active ADMIN stays.", tag: "tenant",
                body: .json("UserChange"), success: [200: "User"], errors: [400, 404, 409]),
            Operation(
                method: "GET", path: "/audit-log", summary: "The tenant's audit log, newest first (ADMIN).",
                tag: "tenant", query: [page[0]], success: [200: "AuditLog"], errors: [400]),

            Operation(
                method: "POST", path: "/invitations",
                summary: "Invite an email with a role (ADMIN); the answer carries the one-time token, only this once.",
                tag: "invitations", body: .json("InvitationRequest"), success: [201: "Invitation"], errors: [400, 409]),
            Operation(
                method: "GET", path: "/invitations", summary: "The tenant's invitations (ADMIN).", tag: "invitations",
                success: [200: "InvitationList"]),
            Operation(
                method: "DELETE", path: "/invitations/{id}", summary: "Revoke an open invitation (ADMIN).",
                tag: "invitations", success: [204: nil], errors: [400, 404]),
            Operation(
                method: "POST", path: "/invitations/accept", summary: "Join the inviting tenant as the signed-in user.",
                tag: "invitations", body: .json("TokenRequest"), success: [200: "User"], errors: [400, 409]),

            Operation(
                method: "GET", path: "/workflows", summary: "The tenant's workflows, newest first.", tag: "workflows",
                query: page + [
                    Parameter(
                        name: "status", description: "Only this status.",
                        schema: ["type": "string", "enum": ["DRAFT", "ACTIVE", "PAUSED", "ARCHIVED"]]),
                    Parameter(
                        name: "search", description: "Name contains this (case-insensitive), at most 200 characters.",
                        schema: ["type": "string", "maxLength": 200]),
                ], success: [200: "WorkflowPage"], errors: [400]),
            Operation(
                method: "POST", path: "/workflows", summary: "Create a workflow (ADMIN).", tag: "workflows",
                body: .json("WorkflowCreate"), success: [201: "Workflow"], errors: [400], successHeaders: ["ETag": etag]
            ),
            Operation(
                method: "GET", path: "/workflows/{id}", summary: "One workflow, with its version as ETag.",
                tag: "workflows", success: [200: "Workflow"], errors: [400, 404], successHeaders: ["ETag": etag]),
            Operation(
                method: "PATCH", path: "/workflows/{id}",
                summary: "Change a workflow (ADMIN); `If-Match` makes it conditional.", tag: "workflows",
                body: .json("WorkflowPatch"), success: [200: "Workflow"], errors: [400, 404, 412],
                successHeaders: ["ETag": etag]),
            Operation(
                method: "DELETE", path: "/workflows/{id}",
                summary: "Delete a workflow (ADMIN); `If-Match` makes it conditional.", tag: "workflows",
                success: [204: nil], errors: [400, 404, 412]),

            Operation(
                method: "GET", path: "/reports", summary: "The tenant's reports, newest first.", tag: "reports",
                query: page + [
                    Parameter(
                        name: "workflowId", description: "Only reports of this workflow.", schema: ["type": "string"]),
                    Parameter(
                        name: "createdBy", description: "Only reports by this user id.", schema: ["type": "string"]),
                    Parameter(
                        name: "status", description: "Only this status.",
                        schema: ["type": "string", "enum": ["PENDING", "READY", "FAILED"]]),
                    Parameter(
                        name: "createdFrom", description: "Created at or after (ISO 8601).",
                        schema: ["type": "string", "format": "date-time"]),
                    Parameter(
                        name: "createdTo", description: "Created before (ISO 8601).",
                        schema: ["type": "string", "format": "date-time"]),
                ], success: [200: "ReportPage"], errors: [400]),
            Operation(
                method: "POST", path: "/reports", summary: "Create a report.", tag: "reports",
                body: .json("ReportCreate"), success: [201: "Report"], errors: [400, 404]),
            Operation(
                method: "GET", path: "/reports/{id}", summary: "One report.", tag: "reports", success: [200: "Report"],
                errors: [400, 404]),
            Operation(
                method: "PATCH", path: "/reports/{id}", summary: "Change a report (an ADMIN any, a USER their own).",
                tag: "reports", body: .json("ReportPatch"), success: [200: "Report"], errors: [400, 404]),
            Operation(
                method: "DELETE", path: "/reports/{id}", summary: "Delete a report (an ADMIN any, a USER their own).",
                tag: "reports", success: [204: nil], errors: [400, 404]),

            Operation(
                method: "GET", path: "/admin/webhook-events", summary: "The webhook inbox (SUPER_ADMIN).", tag: "admin",
                query: [
                    Parameter(
                        name: "status", description: "PENDING, APPLIED or FAILED.",
                        schema: [
                            "type": "string", "enum": ["PENDING", "APPLIED", "FAILED", "pending", "applied", "failed"],
                        ]),
                    Parameter(
                        name: "limit", description: "1–500 (default 100).",
                        schema: ["type": "integer", "minimum": 1, "maximum": 500]),
                ], success: [200: "WebhookEvents"], errors: [400]),
            Operation(
                method: "POST", path: "/admin/webhook-events/{id}/replay",
                summary: "Apply a stored event again (SUPER_ADMIN).", tag: "admin", success: [202: nil],
                errors: [400, 404]),
            Operation(
                method: "POST", path: "/admin/reconcile",
                summary: "Reconcile users with Authorizer now (SUPER_ADMIN); the body is optional.", tag: "admin",
                body: .json("ReconcileRequest"), success: [200: "ReconcileReport"], errors: [400, 502, 503]),
            Operation(
                method: "GET", path: "/admin/clients", summary: "Every tenant (SUPER_ADMIN).", tag: "admin",
                query: page, success: [200: "ClientPage"], errors: [400]),
            Operation(
                method: "POST", path: "/admin/clients", summary: "Create an empty tenant (SUPER_ADMIN).", tag: "admin",
                body: .json("NameRequest"), success: [201: "Client"], errors: [400, 409]),
            Operation(
                method: "PATCH", path: "/admin/clients/{id}", summary: "Suspend or reactivate a tenant (SUPER_ADMIN).",
                tag: "admin", body: .json("ClientStatusChange"), success: [200: "Client"], errors: [400, 404]),
            Operation(
                method: "GET", path: "/admin/users", summary: "Users across tenants (SUPER_ADMIN).", tag: "admin",
                query: page, success: [200: "UserPage"], errors: [400]),
        ]
        let webhookSummary =
            "An Authorizer webhook. Authenticated on the raw bytes (X-Authorizer-Signature, x-webhook-signature, Standard Webhooks or a static header, as configured), stored durably before the answer: 202 stored, 200 a duplicate."
        for path in ["/webhooks/authorizer"]
            + ["user-signup", "user-updated", "user-deleted", "user-login"].map({ "/webhooks/authorizer/" + $0 })
        {
            all.append(
                Operation(
                    method: "POST", path: path, summary: webhookSummary, tag: "webhooks", secured: false,
                    body: .raw("WebhookEvent"),
                    success: [202: "WebhookAccepted", 200: "WebhookAccepted"], errors: [400, 401, 413, 422, 503]))
        }
        return all
    }

}
