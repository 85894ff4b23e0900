import Foundation
import HTTPTypes
import Hummingbird

/// `GET /authorize` and a minimal hosted login page at `/app` (`http_handlers/authorize.go`,
/// `http_handlers/app.go`, tag 2.4.0): the OpenID Connect authorization-code flow with PKCE.
/// Without a browser session `/authorize` sends the browser to `/app` with its parameters; the
/// page signs in (password, then an authenticator code, or skipping where allowed) and returns
/// to `/authorize`, which issues a code to the redirect URI. Only `response_type=code` with
/// `response_mode` query or fragment is served; the real server also does implicit and hybrid
/// flows, `form_post` and `web_message`.
struct AuthorizeController: Sendable {
    let auth: AuthService
    let configuration: AuthorizerConfiguration

    func addRoutes(to router: Router<some RequestContext>) {
        router.get("/authorize") { request, _ in try await authorize(request) }
        router.get("/app") { request, _ in Self.page(query: request.uri.query ?? "", body: Self.passwordForm) }
        router.post("/app/login") { request, _ in
            if let refusal = Self.sameOrigin(request) { return refusal }
            return try await login(request)
        }
        router.post("/app/verify") { request, _ in
            if let refusal = Self.sameOrigin(request) { return refusal }
            return try await verify(request)
        }
        router.post("/app/skip") { request, _ in
            if let refusal = Self.sameOrigin(request) { return refusal }
            return try await skip(request)
        }
        router.get("/verify_email") { request, _ in try await verifyEmailLink(request) }
    }

    /// `GET /verify_email`, what a mailed verification or magic link opens
    /// (`http_handlers/verify_email.go`): the link's token is verified and the browser sent on
    /// (307) to the redirect URI with the tokens in its query (`access_token`, `token_type`,
    /// `expires_in`, `state`, `id_token`, `nonce`, and `refresh_token` with `offline_access`) and the
    /// session cookie set; where the MFA gate withholds them, with `mfa_required=1` instead.
    private func verifyEmailLink(_ request: Request) async throws -> Response {
        let p = Self.parameters(request.uri.query ?? "")
        let redirect = p["redirect_uri"] ?? ""
        if !redirect.isEmpty,
            !RedirectURIPolicy.isValid(
                redirect, allowedOrigins: configuration.allowedOrigins, serverURL: configuration.issuer)
        {
            return GraphQLEndpoint.json(.badRequest, ["error": "invalid redirect uri"])
        }
        let target = redirect.isEmpty ? configuration.issuer + "/app" : redirect
        func refused(_ message: String) -> Response {
            redirect.isEmpty
                ? GraphQLEndpoint.json(.badRequest, ["error": message])
                : Response(status: .temporaryRedirect, headers: [.location: Self.append(target, "error=\(message)")])
        }
        guard let token = p["token"], !token.isEmpty else { return refused("token is required") }
        let result: AuthService.AuthResult
        do {
            result = try await auth.verifyEmail(token: token)
        } catch let error as AuthorizerError {
            return refused(error.message)
        }
        guard let access = result.accessToken else {
            return withCookies(
                of: result,
                Response(
                    status: .temporaryRedirect,
                    headers: [
                        .location: Self.append(
                            target, "mfa_required=1&mfa_gate=\(result.showTOTPScreen == true ? "verify" : "offer")")
                    ]))
        }
        var parameters =
            "access_token=\(access)&token_type=bearer&expires_in=\(result.expiresIn ?? 1)&state=\(p["state"] ?? "")"
            + "&id_token=\(result.idToken ?? "")&nonce="
        if let refresh = result.refreshToken { parameters += "&refresh_token=\(refresh)" }
        return withCookies(
            of: result, Response(status: .temporaryRedirect, headers: [.location: Self.append(target, parameters)]))
    }

    /// `response` with the cookies `result` brings (``Resolvers/cookies(for:_:)``).
    private func withCookies(of result: AuthService.AuthResult, _ response: Response) -> Response {
        var response = response
        for value in Resolvers.cookies(for: result, configuration) {
            response.headers.append(HTTPField(name: .setCookie, value: value))
        }
        return response
    }

    /// `uri` with `parameters` added to its query, as `verify_email.go` does (`?`, or `&` after one).
    static func append(_ uri: String, _ parameters: String) -> String {
        uri + (uri.contains("?") ? "&" : "?") + parameters
    }

    /// A refusal unless the form was posted from this server's own page (its `Origin` is this
    /// host): the real `/app` signs in through `/graphql`, behind the CSRF guard, so a page of
    /// another site cannot plant its own session here.
    static func sameOrigin(_ request: Request) -> Response? {
        guard let origin = request.headers[.origin], let parts = URLComponents(string: origin), let host = parts.host,
            host + (parts.port.map { ":\($0)" } ?? "") == request.head.authority
        else {
            return GraphQLEndpoint.json(
                .forbidden,
                [
                    "error": "csrf_validation_failed",
                    "error_description": "the request origin is missing or not allowed",
                ])
        }
        return nil
    }

    static func parameters(_ query: String) -> [String: String] {
        var components = URLComponents()
        components.percentEncodedQuery = query.replacingOccurrences(of: "+", with: "%20")
        return Dictionary(
            (components.queryItems ?? []).map { ($0.name, ($0.value ?? "").trimmingCharacters(in: .whitespaces)) },
            uniquingKeysWith: { first, _ in first })
    }

    private func authorize(_ request: Request) async throws -> Response {
        let query = request.uri.query ?? ""
        let p = Self.parameters(query)
        var redirect = p["redirect_uri"] ?? ""
        if redirect.isEmpty {
            redirect = "/app"
        } else if !RedirectURIPolicy.isValid(
            redirect, allowedOrigins: configuration.allowedOrigins, serverURL: configuration.issuer)
        {
            return Self.error(400, "invalid_request", "invalid redirect_uri")
        }
        let mode = (p["response_mode"] ?? "").isEmpty ? "query" : p["response_mode"] ?? "query"
        let state = p["state"] ?? ""
        func toClient(_ error: String, _ description: String) -> Response {
            guard redirect != "/app" else { return Self.error(400, error, description) }
            return Self.redirect(
                redirect, mode: mode,
                ["error": error, "error_description": description, "state": state])
        }
        let responseType = p["response_type"] ?? ""
        guard !responseType.isEmpty else { return toClient("invalid_request", "response_type is required") }
        let challenge = p["code_challenge"] ?? ""
        var method = p["code_challenge_method"] ?? ""
        if !challenge.isEmpty, method.isEmpty { method = "plain" }
        if !challenge.isEmpty, method != "S256", method != "plain" {
            return Self.error(400, "invalid_request", "Supported code_challenge_method values are S256 and plain")
        }
        guard responseType == "code" else {
            return Self.error(400, "unsupported_response_type", "response_type is not supported")
        }
        guard !state.isEmpty else { return Self.error(400, "invalid_request", "state parameter is required") }
        guard mode == "query" || mode == "fragment" else {
            return Self.error(400, "invalid_request", "response_mode \(mode) is not served by the local Authorizer")
        }
        if challenge.isEmpty, !method.isEmpty {
            return toClient("invalid_request", "code_challenge is required when code_challenge_method is specified")
        }
        let scope = (p["scope"] ?? "").split(separator: " ").map(String.init)
        let issued = try await auth.issueCode(
            cookie: request.cookies["cookie_session"]?.value,
            for: .init(
                clientID: p["client_id"] ?? "", redirectURI: redirect, challenge: challenge,
                challengeMethod: challenge.isEmpty ? "" : method,
                scope: scope.isEmpty ? ["openid", "profile", "email"] : scope))
        guard let (code, cookie) = issued else {
            // No browser session: the login page, with every parameter carried over.
            return Response(status: .found, headers: [.location: "/app?" + query])
        }
        var response = Self.redirect(redirect, mode: mode, ["code": code, "state": state])
        response.headers.append(
            HTTPField(
                name: .setCookie,
                value: Resolvers.cookie(
                    "cookie_session", cookie, maxAge: configuration.accessTokenExpiresIn, configuration)))
        return response
    }

    /// The password form's answer: back to `/authorize`, or the MFA step on the page.
    private func login(_ request: Request) async throws -> Response {
        let form = try await OAuthController.form(request) ?? [:]
        let query = form["q"] ?? ""
        let scope = (Self.parameters(query)["scope"] ?? "").split(separator: " ").map(String.init)
        do {
            let result = try await auth.login(
                email: form["email"], password: form["password"] ?? "", roles: nil,
                scope: scope.isEmpty ? nil : scope)
            return signedIn(result, query: query)
        } catch let error as AuthorizerError {
            return Self.page(query: query, body: Self.passwordForm, message: error.message, status: .unauthorized)
        }
    }

    private func verify(_ request: Request) async throws -> Response {
        let form = try await OAuthController.form(request) ?? [:]
        let query = form["q"] ?? ""
        do {
            let result = try await auth.verifyOTP(
                cookie: request.cookies["mfa_session"]?.value, email: nil, otp: form["code"] ?? "", isTOTP: true)
            return signedIn(result, query: query)
        } catch let error as AuthorizerError {
            return Self.page(
                query: query, body: Self.codeForm(canSkip: true), message: error.message, status: .unauthorized)
        }
    }

    private func skip(_ request: Request) async throws -> Response {
        let form = try await OAuthController.form(request) ?? [:]
        let query = form["q"] ?? ""
        do {
            let result = try await auth.skipMFASetup(cookie: request.cookies["mfa_session"]?.value, email: nil)
            return signedIn(result, query: query)
        } catch let error as AuthorizerError {
            return Self.page(
                query: query, body: Self.codeForm(canSkip: false), message: error.message, status: .conflict)
        }
    }

    /// Tokens: the browser session cookie and back to `/authorize`. An MFA step: its form.
    private func signedIn(_ result: AuthService.AuthResult, query: String) -> Response {
        if result.sessionCookie != nil {
            return withCookies(of: result, Response(status: .found, headers: [.location: "/authorize?" + query]))
        }
        var body = Self.codeForm(canSkip: result.authenticatorSecret != nil)
        if let secret = result.authenticatorSecret {
            body =
                "<p>Add this key to your authenticator app: <code id=\"totp-secret\">\(Self.escape(secret))</code></p>"
                + body
        }
        return withCookies(of: result, Self.page(query: query, body: body, message: result.message))
    }

    static let passwordForm = """
        <form method="post" action="/app/login" aria-label="Sign in">
          <input type="hidden" name="q" value="{q}">
          <label>Email <input type="email" name="email" autocomplete="username" required></label>
          <label>Password <input type="password" name="password" autocomplete="current-password" required></label>
          <button type="submit">Sign in</button>
        </form>
        """

    static func codeForm(canSkip: Bool) -> String {
        """
        <form method="post" action="/app/verify" aria-label="Authenticator code">
          <input type="hidden" name="q" value="{q}">
          <label>Code from your authenticator app <input name="code" inputmode="numeric" autocomplete="one-time-code" required></label>
          <button type="submit">Verify</button>
        </form>
        """
            + (canSkip
                ? """
                <form method="post" action="/app/skip" aria-label="Skip">
                  <input type="hidden" name="q" value="{q}"><button type="submit">Skip for now</button>
                </form>
                """ : "")
    }

    /// The hosted page: plain HTML forms, no script.
    static func page(query: String, body: String, message: String? = nil, status: HTTPResponse.Status = .ok)
        -> Response
    {
        let notice = message.map { "<p role=\"alert\">\(escape($0))</p>" } ?? ""
        let html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign in · Authorizer</title>
            <style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem}
            label{display:block;margin:0 0 1rem}input{display:block;width:100%;padding:.4rem;font:inherit}
            button{font:inherit;padding:.4rem 1rem}</style></head>
            <body><h1>Sign in</h1><p>Local Authorizer (platform dev): the identity provider's own sign-in page.</p>
            \(notice)\(body.replacingOccurrences(of: "{q}", with: escape(query)))</body></html>
            """
        return Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'",
            ],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func error(_ status: Int, _ error: String, _ description: String) -> Response {
        GraphQLEndpoint.json(.init(code: status), ["error": error, "error_description": description])
    }

    /// A 302 to `uri` with `values` in its query (`?`, or `&` after one) or fragment.
    static func redirect(_ uri: String, mode: String, _ values: [String: String]) -> Response {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let pairs = values.sorted { $0.key < $1.key }.map {
            "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.value)"
        }.joined(separator: "&")
        let separator = mode == "fragment" ? "#" : (uri.contains("?") ? "&" : "?")
        return Response(status: .found, headers: [.location: uri + separator + pairs])
    }
}
