import PlatformDB

/// Every store of the platform database, each made once and handed to whoever needs it.
struct Stores: Sendable {
    let database: PlatformDatabase
    let users: UserStore
    let tenants: TenantStore
    let members: TenantUserStore
    let invitations: InvitationStore
    let intents: SignupIntentStore
    let challenges: SignInChallengeStore
    let workflows: WorkflowStore
    let reports: ReportStore
    let audit: AuditLog
    let crossTenant: CrossTenantAudit
    let inbox: WebhookInbox

    init(_ database: PlatformDatabase) {
        self.database = database
        users = UserStore(database)
        tenants = TenantStore(database)
        members = TenantUserStore(database)
        invitations = InvitationStore(database)
        intents = SignupIntentStore(database)
        challenges = SignInChallengeStore(database)
        workflows = WorkflowStore(database)
        reports = ReportStore(database)
        audit = AuditLog(database)
        crossTenant = CrossTenantAudit(database)
        inbox = WebhookInbox(database)
    }
}
