import PlatformDB

/// Everything `platform serve` needs, read once at start.
public struct GatewayConfiguration: Sendable {
    /// Address to listen on.
    public var host: String
    /// Port to listen on (0 picks a free one).
    public var port: Int
    /// The platform database.
    public var databaseURL: DatabaseURL
    /// Whether to apply pending migrations before accepting traffic.
    public var migrateOnStart: Bool

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        databaseURL: DatabaseURL = .sqliteMemory,
        migrateOnStart: Bool = true
    ) {
        self.host = host
        self.port = port
        self.databaseURL = databaseURL
        self.migrateOnStart = migrateOnStart
    }
}
