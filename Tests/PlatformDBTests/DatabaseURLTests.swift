import PlatformDB
import Testing

@Suite struct DatabaseURLTests {
    @Test func parsesPostgres() throws {
        let url = try DatabaseURL("postgres://app:s3cr%40t@db.internal:6543/platform?sslmode=disable")
        guard case .postgres(let location) = url else {
            Issue.record("expected postgres, got \(url)")
            return
        }
        #expect(location.host == "db.internal")
        #expect(location.port == 6543)
        #expect(location.username == "app")
        #expect(location.password == "s3cr@t")
        #expect(location.database == "platform")
        #expect(location.tls == .disable)
        #expect(url.dialect == .postgres)
    }

    /// `?pooler=transaction` marks a transaction-mode pooler (as `--database-pooler transaction`),
    /// kept in the printed URL; any other value is refused.
    @Test func readsThePooler() throws {
        let url = try DatabaseURL("postgres://app@bouncer:6432/platform?sslmode=disable&pooler=transaction")
        guard case .postgres(let location) = url else { throw DatabaseURLError.notPostgres }
        #expect(location.transactionPooler && location.tls == .disable)
        #expect(url.description == "postgres://app@bouncer:6432/platform?pooler=transaction")
        guard case .postgres(let plain) = try DatabaseURL("postgres://app@db/platform?pooler=none") else {
            throw DatabaseURLError.notPostgres
        }
        #expect(!plain.transactionPooler)
        #expect(throws: PlatformDBError.self) { try DatabaseURL("postgres://app@db/platform?pooler=session") }
    }

    enum DatabaseURLError: Error { case notPostgres }

    @Test func neverPrintsThePassword() throws {
        let url = try DatabaseURL("postgresql://app:hunter2@localhost/platform")
        #expect(!url.description.contains("hunter2"))
        #expect(url.description == "postgres://app:***@localhost:5432/platform")
    }

    @Test func parsesSQLite() throws {
        #expect(
            try DatabaseURL("sqlite:///var/lib/platform/db.sqlite") == .sqliteFile(path: "/var/lib/platform/db.sqlite"))
        #expect(try DatabaseURL("sqlite://data/platform.sqlite") == .sqliteFile(path: "data/platform.sqlite"))
        #expect(try DatabaseURL("sqlite::memory:") == .sqliteMemory)
        #expect(try DatabaseURL(DatabaseURL.defaultURLString).dialect == .sqlite)
    }

    @Test(arguments: [
        "mysql://root@localhost/db", "postgres://localhost/db", "postgres://u@/db", "postgres://u@h/",
        "sqlite://", "postgres://u@h/db?sslmode=sometimes", "",
    ])
    func refusesWithAReason(_ text: String) {
        #expect(throws: PlatformDBError.self) { try DatabaseURL(text) }
    }
}
