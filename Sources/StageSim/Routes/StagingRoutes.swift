import Foundation
import Hummingbird

/// What a staging route handler gets: the parsed request and, on bearer routes, the token's claims.
struct RouteInput: Sendable {
    let method: HTTPRequest.Method
    let headers: HTTPFields
    let query: [String: String]
    let body: Data
    let claims: SimToken.Claims?
    /// The client's connection (streams use it to notice a client that left).
    let connection: ClientConnection

    /// The request body as `T`, or nil when absent or not that shape (routes then use defaults).
    func decode<T: Decodable>(_ type: T.Type) -> T? {
        guard !body.isEmpty else { return nil }
        let decoder = JSONDecoder()
        // Staging's bodies are snake_case (`agent_id`, `thread_id`).
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try? decoder.decode(type, from: body)
    }
}

/// One route of the simulated staging, with the body it answers under a `wrongShape` fault.
struct StagingRoute: Sendable {
    let path: String
    let methods: [HTTPRequest.Method]
    let requiresAuth: Bool
    let wrongShape: JSON
    let handle: @Sendable (RouteInput, SimCore) -> Response
}

/// The HTTP surface the staging reports exercised (GitHub issue 2 item 7, streams from issue 5).
/// `/ws` is not here: upgrades are answered before routing (`WebSocketEndpoint`).
enum StagingRoutes {
    static let all: [StagingRoute] = [
        StagingRoute(
            path: "/health", methods: [.get], requiresAuth: false,
            wrongShape: ["state": "up"],  // no "status" key
            handle: { _, _ in SimResponses.json(200, HealthBodies.health) }),
        StagingRoute(
            path: "/api/health", methods: [.get], requiresAuth: false,
            wrongShape: ["status": "healthy", "checks": "all good"],  // checks should be an object
            handle: { _, _ in SimResponses.json(200, HealthBodies.apiHealth) }),
        StagingRoute(
            path: "/auth/e2e/token", methods: [.post], requiresAuth: false,
            wrongShape: ["token": "not-a-jwt"],  // no access_token
            handle: AuthHandlers.e2eToken),
        StagingRoute(
            path: "/api/user/profile", methods: [.get], requiresAuth: true,
            wrongShape: ["user": nil],
            handle: AuthHandlers.profile),
        StagingRoute(
            path: "/api/discovery/services", methods: [.get], requiresAuth: false,
            wrongShape: ["services": "netra-backend,auth-service,mcp-server"],  // a string, not a list
            handle: { _, _ in SimResponses.json(200, DiscoveryBodies.services) }),
        StagingRoute(
            path: "/api/mcp/tools", methods: [.get], requiresAuth: false,
            wrongShape: ["tools": ["count": 11]],  // an object, not a list
            handle: { _, _ in SimResponses.json(200, DiscoveryBodies.tools) }),
        StagingRoute(
            path: "/api/agents/status", methods: [.get], requiresAuth: true,
            wrongShape: ["agents": "unavailable"],  // no "status", agents not a list
            handle: AgentHandlers.status),
        StagingRoute(
            path: "/api/agents/start", methods: [.post], requiresAuth: true,
            wrongShape: ["result": "ok"],
            handle: { input, core in AgentHandlers.control(input, core, action: .start) }),
        StagingRoute(
            path: "/api/agents/stop", methods: [.post], requiresAuth: true,
            wrongShape: ["result": "ok"],
            handle: { input, core in AgentHandlers.control(input, core, action: .stop) }),
        StagingRoute(
            path: "/api/agents/cancel", methods: [.post], requiresAuth: true,
            wrongShape: ["result": "ok"],
            handle: { input, core in AgentHandlers.control(input, core, action: .cancel) }),
        StagingRoute(
            path: "/api/threads", methods: [.get, .post], requiresAuth: true,
            wrongShape: [],  // a bare list where an object was expected
            handle: ThreadHandlers.threads),
        StagingRoute(
            path: "/api/messages", methods: [.get], requiresAuth: true,
            wrongShape: ["messages": "none"],
            handle: ThreadHandlers.messages),
        StagingRoute(
            path: "/api/chat/messages", methods: [.get, .post], requiresAuth: true,
            wrongShape: ["data": []],  // no "messages" key
            handle: ThreadHandlers.chatMessages),
        // Server-sent events (issue 5 item 5); a wrong shape is a JSON body where a stream belonged.
        StagingRoute(
            path: StreamScripts.chatPath, methods: [.post], requiresAuth: true,
            wrongShape: ["events": "unavailable"],
            handle: StreamHandlers.handler(for: StreamScripts.chatPath)),
        StagingRoute(
            path: StreamScripts.agentsPath, methods: [.get], requiresAuth: true,
            wrongShape: ["agents": "unavailable"],
            handle: StreamHandlers.handler(for: StreamScripts.agentsPath)),
        StagingRoute(
            path: StreamScripts.eventsPath, methods: [.get], requiresAuth: true,
            wrongShape: ["events": "unavailable"],
            handle: StreamHandlers.handler(for: StreamScripts.eventsPath)),
    ]

    private static let byPath: [String: StagingRoute] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.path, $0) })

    static var paths: [String] { all.map(\.path) }

    /// The route for `path`, ignoring one trailing slash ("/health/" serves "/health").
    static func route(for path: String) -> StagingRoute? {
        if let route = byPath[path] { return route }
        if path.count > 1, path.hasSuffix("/") { return byPath[String(path.dropLast())] }
        return nil
    }
}

enum HealthBodies {
    static let version = "1.4.2-sim"

    static let health: JSON = ["status": "healthy", "service": "netra-backend", "version": .string(version)]

    static let apiHealth: JSON = [
        "status": "healthy",
        "service": "netra-backend",
        "version": .string(version),
        "checks": [
            "database": "healthy",
            "redis": "healthy",
            "auth_service": "healthy",
            "websocket": "healthy",
        ],
    ]
}
