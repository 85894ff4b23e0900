/// How an operation that might hang ended: `succeeded`, `failed`, or `no answer within <timeout>`.
/// The operation runs in its own task, so one that never returns does not hold the test.
public func answer(within timeout: Duration, _ operation: @escaping @Sendable () async throws -> Void) async -> String {
    let (answers, answer) = AsyncStream.makeStream(of: String.self)
    Task {
        do {
            try await operation()
            answer.yield("succeeded")
        } catch {
            answer.yield("failed")
        }
    }
    Task {
        try? await Task.sleep(for: timeout)
        answer.yield("no answer within \(timeout)")
    }
    for await first in answers { return first }
    return "no answer"
}
