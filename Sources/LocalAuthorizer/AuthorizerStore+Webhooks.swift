import Foundation
import PlatformDB
import SQLKit

extension AuthorizerStore {
    func addWebhook(_ webhook: WebhookConfig) async throws {
        let headers = String(decoding: try JSONEncoder().encode(webhook.headers), as: UTF8.self)
        try await database.withConnection { sql in
            try await sql.insert(into: "authorizer_webhooks")
                .columns(
                    "id", "event_name", "event_description", "endpoint", "enabled", "headers", "created_at",
                    "updated_at"
                )
                .values(
                    SQLBind(webhook.id), SQLBind(webhook.eventName), SQLBind(webhook.eventDescription),
                    SQLBind(webhook.endpoint), SQLBind(webhook.enabled), SQLBind(headers), SQLBind(webhook.createdAt),
                    SQLBind(webhook.updatedAt)
                )
                .run()
        }
    }

    func webhooks() async throws -> [WebhookConfig] {
        try await database.withConnection { sql in
            try await sql.select().column("*").from("authorizer_webhooks").orderBy("created_at").orderBy("id")
                .all().map(WebhookConfig.init(row:))
        }
    }

    func webhook(id: String) async throws -> WebhookConfig? {
        try await database.withConnection { sql in
            try await sql.select().column("*").from("authorizer_webhooks").where("id", .equal, SQLBind(id))
                .first().map(WebhookConfig.init(row:))
        }
    }

    func deleteWebhook(id: String) async throws {
        try await database.withConnection { sql in
            try await sql.delete(from: "authorizer_webhooks").where("id", .equal, SQLBind(id)).run()
            try await sql.delete(from: "authorizer_webhook_logs").where("webhook_id", .equal, SQLBind(id)).run()
        }
    }

    func addWebhookLog(_ log: WebhookLog) async throws {
        try await database.withConnection { sql in
            try await sql.insert(into: "authorizer_webhook_logs")
                .columns("id", "webhook_id", "http_status", "request", "response", "created_at", "updated_at")
                .values(
                    SQLBind(log.id), SQLBind(log.webhookID), SQLBind(log.httpStatus), SQLBind(log.request),
                    SQLBind(log.response), SQLBind(log.createdAt), SQLBind(log.createdAt)
                )
                .run()
        }
    }

    func webhookLogs(webhookID: String?, limit: Int, offset: Int) async throws -> (logs: [WebhookLog], total: Int) {
        try await database.withConnection { sql in
            func filtered(_ builder: SQLSelectBuilder) -> SQLSelectBuilder {
                guard let webhookID else { return builder }
                return builder.where("webhook_id", .equal, SQLBind(webhookID))
            }
            let total =
                try await filtered(
                    sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(
                        "authorizer_webhook_logs")
                ).first()?.decode(column: "n", as: Int.self) ?? 0
            let rows = try await filtered(sql.select().column("*").from("authorizer_webhook_logs"))
                .orderBy("created_at", .descending).orderBy("id", .descending).limit(limit).offset(offset).all()
            let logs = try rows.map { row in
                WebhookLog(
                    id: try row.decode(column: "id", as: String.self),
                    webhookID: try row.decode(column: "webhook_id", as: String.self),
                    httpStatus: try row.decode(column: "http_status", as: Int64?.self),
                    request: try row.decode(column: "request", as: String?.self) ?? "",
                    response: try row.decode(column: "response", as: String?.self) ?? "",
                    createdAt: try row.decode(column: "created_at", as: Int64.self)
                )
            }
            return (logs, total)
        }
    }
}
