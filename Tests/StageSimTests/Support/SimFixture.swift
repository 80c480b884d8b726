import Foundation
import StageSim

/// Runs `body` against a fresh simulator on a free loopback port, and always stops it.
func withSim<T>(
    scenario: String = "healthy",
    bypassKey: String = SimServer.defaultBypassKey,
    _ body: (SimServer) async throws -> T
) async throws -> T {
    let sim = try await SimServer.start(port: 0, scenario: scenario, bypassKey: bypassKey)
    do {
        let result = try await body(sim)
        await sim.stop()
        return result
    } catch {
        await sim.stop()
        throw error
    }
}

extension SimServer {
    func get(_ path: String, token: String? = nil, headers: [String: String] = [:]) async throws -> HTTPReply {
        try await send("GET", path, token: token, headers: headers)
    }

    func post(_ path: String, token: String? = nil, headers: [String: String] = [:], body: String = "{}")
        async throws -> HTTPReply
    {
        try await send("POST", path, token: token, headers: headers, body: body)
    }

    func send(
        _ method: String, _ path: String, token: String? = nil, headers: [String: String] = [:],
        body: String? = nil, timeoutSeconds: Double = 5
    ) async throws -> HTTPReply {
        var headers = headers
        if let token { headers["Authorization"] = "Bearer \(token)" }
        return try await RawHTTP.send(
            method, port: port, path: path, headers: headers, body: body, timeoutSeconds: timeoutSeconds)
    }

    /// A token from the sim's own login route, as a probe would get it.
    func loginToken(user: String? = nil) async throws -> String {
        let body = user.map { #"{"user":"\#($0)"}"# } ?? "{}"
        let reply = try await post("/auth/e2e/token", headers: ["X-E2E-Bypass-Key": bypassKey], body: body)
        guard reply.status == 200, let token = reply.json()?["access_token"] as? String else {
            throw HTTPClientError(description: "login failed: \(reply.status) \(reply.text)")
        }
        return token
    }
}

/// True if `operation` finished within `seconds`. The operation keeps running if it did not (a hung
/// stop() must fail the test, not hang it).
func completes(within seconds: Double, _ operation: @escaping @Sendable () async -> Void) async -> Bool {
    let claimed = Claim()
    return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
        Task {
            await operation()
            if claimed.take() { continuation.resume(returning: true) }
        }
        Task {
            try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            if claimed.take() { continuation.resume(returning: false) }
        }
    }
}

/// First caller wins.
final class Claim: @unchecked Sendable {
    private let lock = NSLock()
    private var taken = false

    func take() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if taken { return false }
        taken = true
        return true
    }
}

extension SimServer {
    /// A WebSocket to `/ws` with `token` in the `jwt.` subprotocol (no credentials when nil).
    func webSocket(token: String?, extraProtocols: [String] = []) async throws -> RawWebSocket {
        guard let token else { return try await RawWebSocket.connect(port: port, protocols: extraProtocols) }
        return try await RawWebSocket.connect(port: port, token: token, extraProtocols: extraProtocols)
    }

    /// An event stream, authenticated with the dev token unless told otherwise; POST for the chat stream.
    func eventStream(_ path: String, token: String? = nil, authenticated: Bool = true) async throws -> RawEventStream {
        let method = path == "/api/chat/stream" ? "POST" : "GET"
        return try await RawEventStream.open(
            port: port, method: method, path: path, token: authenticated ? (token ?? devToken) : nil,
            body: method == "POST" ? #"{"message":"status?"}"# : nil)
    }
}
