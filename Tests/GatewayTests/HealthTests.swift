import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import Logging
import PlatformDB
import Testing

@Suite struct HealthTests {
    static let logger = Logger(label: "test.gateway")

    @Test func readyAfterMigratingOnStart() async throws {
        let database = try await PlatformDatabase.open(.sqliteMemory, logger: Self.logger)
        let app = try await buildApplication(
            configuration: .init(port: 0, databaseURL: .sqliteMemory, migrateOnStart: true),
            database: database, logger: Self.logger)
        try await app.test(.live) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                let body = try JSONDecoder().decode([String: AnyJSON].self, from: Data(buffer: response.body))
                #expect(body["status"] == .string("ready"))
            }
        }
    }

    @Test func notReadyWhileMigrationsArePending() async throws {
        let database = try await PlatformDatabase.open(.sqliteMemory, logger: Self.logger)
        let app = try await buildApplication(
            configuration: .init(port: 0, databaseURL: .sqliteMemory, migrateOnStart: false),
            database: database, logger: Self.logger)
        try await app.test(.live) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.contentType] == "application/problem+json")
                let text = String(buffer: response.body)
                #expect(text.contains("migrations"))
                #expect(text.contains("not-ready"))
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }
}

/// Just enough JSON to look into a response body.
enum AnyJSON: Decodable, Equatable {
    case string(String)
    case other

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self = (try? container.decode(String.self)).map(AnyJSON.string) ?? .other
    }
}
