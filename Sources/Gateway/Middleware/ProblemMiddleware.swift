import Hummingbird
import Logging
import PlatformDB

/// Turns every error that reaches it into an `application/problem+json` response: unknown
/// routes, oversized bodies, and anything unexpected (logged at error, shown without details).
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            if problem.status.code >= 500 {
                context.logger.error(
                    "request failed", metadata: ["type": "\(problem.type)", "path": "\(request.uri.path)"])
            }
            throw problem
        } catch let error as HTTPError {
            throw Problem(
                error.status, type: error.status == .notFound ? "not-found" : "http-\(error.status.code)",
                title: error.status.reasonPhrase, detail: error.body)
        } catch let error as PlatformDBError {
            context.logger.error("database error", metadata: ["error": "\(PlatformDBError.describe(error))"])
            throw Problem.from(error)
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(String(describing: type(of: error)))"])
            throw Problem(.internalServerError, type: "internal", title: "Internal error", detail: nil)
        }
    }
}
