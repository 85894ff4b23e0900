import Hummingbird

/// The route groups every controller adds its routes to, made once by ``buildRouter(_:)``: each
/// group is what a request must be to reach its routes.
struct RouteGroups: Sendable {
    /// Anyone: health, the web app, webhooks (which check their own signatures), sign-in.
    let open: RouterGroup<GatewayRequestContext>
    /// A signed-in user, email verified or not (`/auth/me`, logout).
    let account: RouterGroup<AuthenticatedContext>
    /// A signed-in user whose email is verified.
    let signedIn: RouterGroup<AuthenticatedContext>
    /// A signed-in member of a tenant; the tenant's scope is in the context.
    let tenant: RouterGroup<TenantContext>
    /// A platform operator (SUPER_ADMIN), under `/admin`.
    let operators: RouterGroup<SuperAdminContext>

    /// The groups over `router`; without `auth`, the signed-in groups refuse every request.
    init(router: Router<GatewayRequestContext>, auth: AuthServices?) {
        open = router.group()
        let pending = AuthenticationMiddleware(auth: auth, allowPendingVerification: true)
        let verified = AuthenticationMiddleware(auth: auth, allowPendingVerification: false)
        account = router.group().add(middleware: pending).group(context: AuthenticatedContext.self)
        signedIn = router.group().add(middleware: verified).group(context: AuthenticatedContext.self)
        tenant = signedIn.group(context: TenantContext.self)
        operators = router.group("/admin").add(middleware: verified).group(context: AuthenticatedContext.self)
            .group(context: SuperAdminContext.self)
    }
}
