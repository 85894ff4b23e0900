import AuthorizerClient
import Foundation
import Hummingbird
import PlatformDB

/// The answer of a sign-in that Authorizer holds at a second factor: what to do next, under an
/// opaque handle (HTTP 202).
struct ChallengeDTO: ResponseCodable {
    var message: String
    var next: Next

    struct Next: Codable, Sendable {
        /// `mfa-enrol` (set up a factor, or skip where allowed), `mfa-verify` (an authenticator-app
        /// code or a recovery code), `email-code` (the code just mailed).
        var step: String
        /// The factors this step takes: `totp`, `recovery-code`, `email`.
        var methods: [String]
        /// Whether `POST /auth/mfa/skip` may be tried (Authorizer refuses it where MFA is enforced).
        var canSkip: Bool
        var handle: String
        var expiresAt: Date
        /// An authenticator-app enrolment: the secret (base32), the QR code as a `data:` URL, and
        /// the recovery codes, shown once.
        var totp: TOTPEnrolment?
    }

    struct TOTPEnrolment: Codable, Sendable {
        var secret: String
        var scannerImage: String?
        var recoveryCodes: [String]
    }
}

/// `POST /auth/mfa/*`: a handle, and a code where the step takes one.
struct MFARequest: Decodable {
    var handle: String
    var code: String?
    static let fields: Set<String> = ["handle", "code"]
}

extension AuthController {
    /// How long a handle lives: as long as Authorizer's MFA session behind it (its cookie's
    /// `Max-Age`: 3 minutes at a gate, 1 beside a mailed code), 3 minutes when it gives none.
    static func challengeLifetime(_ answerLifetime: Int?) -> TimeInterval {
        TimeInterval(min(max(answerLifetime ?? 180, 30), 600))
    }

    /// Opens a challenge for Authorizer's MFA answer `answer` to a sign-in as `email` (empty when
    /// unknown, as after a verification link).
    func challenge(_ answer: AuthorizerAuthResponse, email: String) async throws -> ChallengeDTO {
        guard let cookie = answer.mfaCookie else {
            throw Problem(
                .badGateway, type: "authorizer-error", title: "Identity provider error",
                detail: "Authorizer asked for a second factor but set no MFA session")
        }
        let step =
            if answer.shouldShowEmailOTPScreen == true { "email-code" } else if answer.authenticatorSecret != nil {
                "mfa-enrol"
            } else if answer.message.lowercased().contains("setup") {
                "mfa-enrol"
            } else {
                "mfa-verify"
            }
        var methods: [String] =
            switch step {
            case "email-code": ["email"]
            case "mfa-verify": answer.shouldShowTOTPScreen == true ? ["totp", "recovery-code"] : []
            default: answer.authenticatorSecret == nil ? [] : ["totp"]
            }
        if step == "mfa-enrol", answer.shouldOfferEmailOTPSetup == true, !email.isEmpty { methods.append("email") }
        if methods.isEmpty, step == "mfa-verify" {
            throw Problem(
                .forbidden, type: "mfa-method-unsupported", title: "Second factor not offered here",
                detail:
                    "this account's second factor (a passkey) cannot be used in this app; sign in at the identity provider"
            )
        }
        let expiresAt = Date().addingTimeInterval(Self.challengeLifetime(answer.mfaCookieLifetime))
        let handle = try await database {
            try await challenges.open(
                SignInChallenge(email: email, step: step, authorizerCookie: cookie, expiresAt: expiresAt))
        }
        let totp = answer.authenticatorSecret.map {
            ChallengeDTO.TOTPEnrolment(
                secret: $0, scannerImage: answer.scannerImageDataURL,
                recoveryCodes: answer.authenticatorRecoveryCodes ?? [])
        }
        return ChallengeDTO(
            message: Self.stepMessage[step] ?? answer.message,
            next: .init(
                step: step, methods: methods, canSkip: step == "mfa-enrol", handle: handle, expiresAt: expiresAt,
                totp: totp))
    }

    static let stepMessage = [
        "mfa-enrol": "Set up a second factor: scan the code with an authenticator app and enter the code it shows.",
        "mfa-verify": "Enter the code from your authenticator app, or one of your recovery codes.",
        "email-code": "Enter the code we emailed you. It is valid for one minute.",
    ]

    func addMFARoutes(to open: RouterGroup<GatewayRequestContext>) {
        let mfa = open.group("/mfa")
        mfa.post("/verify") { request, context in
            let session = try await verifyCode(
                request, context, isTOTP: true, kind: "totp", steps: ["mfa-enrol", "mfa-verify"])
            return try respond(session, request, context)
        }
        mfa.post("/recovery") { request, context in
            let session = try await verifyCode(
                request, context, isTOTP: true, kind: "recovery-code", steps: ["mfa-verify"])
            return try respond(session, request, context)
        }
        mfa.post("/email-code") { request, context in
            let session = try await verifyCode(request, context, isTOTP: false, kind: "email", steps: ["email-code"])
            return try respond(session, request, context)
        }
        mfa.post("/email") { request, context in try await sendEmailCode(request, context) }
        mfa.post("/skip") { request, context in try respond(try await skip(request, context), request, context) }
    }

    /// The live challenge of a request's handle, after the per-IP and per-email limits.
    ///
    /// Each route answers only the steps it completes (`steps`): Authorizer 2.4 opens the same
    /// MFA session for a mailed code to an unverified address, sent before the password is
    /// checked (`service/login.go`), as for a proven password, and its `skip_mfa_setup` would
    /// issue tokens for it. So skipping is refused anywhere but at enrolment.
    private func liveChallenge(_ body: MFARequest, _ context: GatewayRequestContext, steps: Set<String>)
        async throws -> SignInChallenge
    {
        let handle = try JSONBody.text(body.handle, field: "handle", max: 100)
        let found = try await database({ try await challenges.find(handle: handle) })
        // One count of the address, and of the email when the handle names one.
        try await throttle.check(
            route: "mfa", ip: context.remoteIP, email: found.flatMap { $0.email.isEmpty ? nil : $0.email })
        guard let challenge = found else { throw Self.challengeExpired }
        guard steps.contains(challenge.step) else {
            throw Problem(
                .conflict, type: "wrong-step", title: "Not this step",
                detail: "this sign-in is at the step '\(challenge.step)', which this route does not complete")
        }
        return challenge
    }

    static let challengeExpired = Problem(
        .unauthorized, type: "challenge-expired", title: "Sign-in expired",
        detail: "this sign-in step is unknown or expired; sign in again")

    /// A code (TOTP, a recovery code, or a mailed one) for the challenge; tokens on success.
    private func verifyCode(
        _ request: Request, _ context: GatewayRequestContext, isTOTP: Bool, kind: String, steps: Set<String>
    ) async throws -> SessionDTO {
        let body = try await JSONBody.decode(MFARequest.self, from: request, allowed: MFARequest.fields)
        let challenge = try await liveChallenge(body, context, steps: steps)
        let code = try JSONBody.text(body.code ?? "", field: "code", max: 64)
        let answer: AuthorizerAuthResponse
        do {
            answer = try await client.verifyOTP(
                email: challenge.email, otp: code, isTOTP: isTOTP, cookie: challenge.authorizerCookie)
        } catch let error as AuthorizerClientError {
            throw try await codeFailure(error, handle: body.handle, kind: kind)
        }
        try await database { try await challenges.close(handle: body.handle) }
        return try await completeSignIn(answer)
    }

    /// Authorizer's refusals of a code, each as its own problem (`service/verify_otp.go`).
    private func codeFailure(_ error: AuthorizerClientError, handle: String, kind: String) async throws -> Problem {
        switch error {
        case .invalidArgument("invalid otp"):
            var problem = Problem(
                .unauthorized, type: "invalid-code", title: "Wrong code",
                detail: kind == "recovery-code"
                    ? "this recovery code is wrong or was used already"
                    : "the code is wrong or was used already; wait for the next one and try again")
            problem.field = "code"
            return problem
        case .invalidArgument("otp expired"), .notFound:
            var problem = Problem(
                .unauthorized, type: "code-expired", title: "Code expired",
                detail: "the code has expired; ask for a new one")
            problem.field = "code"
            return problem
        case .unauthenticated:
            // "invalid session": Authorizer's MFA session ended (3 minutes at a gate, 1 beside a code).
            try await database { try await challenges.close(handle: handle) }
            return Self.challengeExpired
        case .tooManyRequests:
            var problem = Problem(
                .tooManyRequests, type: "too-many-requests", title: "Too many requests",
                detail: "too many wrong codes; wait 15 minutes, then sign in again")
            problem.headers = [.retryAfter: "900"]
            return problem
        default:
            return Problem.from(error)
        }
    }

    /// `POST /auth/mfa/email`: mails a code, to enrol email as the factor (at `mfa-enrol`) or
    /// anew (at `email-code`); the challenge moves to `email-code`.
    private func sendEmailCode(_ request: Request, _ context: GatewayRequestContext) async throws -> ChallengeDTO {
        let body = try await JSONBody.decode(MFARequest.self, from: request, allowed: ["handle"])
        var challenge = try await liveChallenge(body, context, steps: ["mfa-enrol", "email-code", "mfa-verify"])
        guard !challenge.email.isEmpty, challenge.step != "mfa-verify" else {
            throw Problem(
                .conflict, type: "email-code-unavailable", title: "Email code not available",
                detail: "this sign-in takes a code from the authenticator app or a recovery code")
        }
        do {
            if challenge.step == "mfa-enrol" {
                let (_, cookie) = try await client.emailOTPMFASetup(
                    email: challenge.email, cookie: challenge.authorizerCookie)
                challenge.authorizerCookie = cookie ?? challenge.authorizerCookie
            } else {
                let (_, cookie) = try await client.resendOTP(email: challenge.email)
                challenge.authorizerCookie = cookie ?? challenge.authorizerCookie
            }
        } catch let error as AuthorizerClientError {
            if case .unauthenticated = error {
                try await database { try await challenges.close(handle: body.handle) }
                throw Self.challengeExpired
            }
            throw Problem.from(error)
        }
        // A new code re-arms Authorizer's session (3 minutes at enrolment, 1 after resend_otp).
        challenge.expiresAt = Date().addingTimeInterval(
            Self.challengeLifetime(challenge.step == "mfa-enrol" ? 180 : 60))
        challenge.step = "email-code"
        let updated = challenge
        try await database { try await challenges.update(handle: body.handle, to: updated) }
        return ChallengeDTO(
            message: Self.stepMessage["email-code"] ?? "",
            next: .init(
                step: "email-code", methods: ["email"], canSkip: false, handle: body.handle,
                expiresAt: challenge.expiresAt, totp: nil))
    }

    /// `POST /auth/mfa/skip`: tokens without a factor, where Authorizer allows it.
    private func skip(_ request: Request, _ context: GatewayRequestContext) async throws -> SessionDTO {
        let body = try await JSONBody.decode(MFARequest.self, from: request, allowed: ["handle"])
        let challenge = try await liveChallenge(body, context, steps: ["mfa-enrol"])
        let answer: AuthorizerAuthResponse
        do {
            answer = try await client.skipMFASetup(email: challenge.email, cookie: challenge.authorizerCookie)
        } catch AuthorizerClientError.invalidArgument(let message) where message.contains("cannot skip") {
            throw Problem(
                .conflict, type: "mfa-enrolment-required", title: "Second factor required",
                detail: "a second factor is required for this account: set one up to continue")
        } catch AuthorizerClientError.unauthenticated {
            try await database { try await challenges.close(handle: body.handle) }
            throw Self.challengeExpired
        } catch let error as AuthorizerClientError {
            throw Problem.from(error)
        }
        try await database { try await challenges.close(handle: body.handle) }
        return try await completeSignIn(answer)
    }

    /// A sign-in Authorizer answered with tokens: the user written (and placed in the tenant its
    /// signup asked for), refused if suspended, and the session.
    func completeSignIn(_ answer: AuthorizerAuthResponse) async throws -> SessionDTO {
        let user = try await upsert(answer, loginAt: Date(), placing: true)
        loader.invalidate(authorizerID: user.authorizerID)
        var tenant: TenantRecord?
        if let tenantID = user.tenantID { tenant = try await database { try await tenants.find(id: tenantID) } }
        if let problem = UserContextLoader.UserContext(user: user, tenant: tenant).barred { throw problem }
        return session(answer, user)
    }
}
