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
    /// The segments a templated route's `{name}`s matched (`/api/threads/{id}` → `["id": "thread-1"]`).
    var pathParameters: [String: String] = [:]

    /// The request body as `T`, or nil when absent or not that shape (routes then use defaults).
    func decode<T: Decodable>(_ type: T.Type) -> T? {
        guard !body.isEmpty else { return nil }
        let decoder = JSONDecoder()
        // Staging's bodies are snake_case (`agent_id`, `thread_id`).
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try? decoder.decode(type, from: body)
    }
}

/// One route of the simulated staging, with the body it answers under a `wrongShape` fault. What
/// `/openapi.json` says about it (tag, statuses, parameters, body) sits here too, beside the handler,
/// so the document is generated from the routes served and cannot drift from them.
struct StagingRoute: Sendable {
    /// A path, or a template whose `{name}` segments match any one segment (`/api/threads/{id}`).
    let path: String
    let methods: [HTTPRequest.Method]
    let requiresAuth: Bool
    let wrongShape: JSON
    /// The OpenAPI tag (`health`, `auth`, `discovery`, `agents`, `threads`, `streams`).
    var tag: String
    /// The success status per method where it is not 200 (`POST /api/threads` creates: 201).
    var success: [HTTPRequest.Method: Int] = [:]
    /// Header and query parameters (path parameters come from the template).
    var parameters: [OpenAPIParameter] = []
    /// The JSON body a POST reads, if any.
    var requestBody: OpenAPIBody?
    /// Answers 404 with a `detail` when the `{id}` names nothing (documented with the route).
    var notFound: String?
    let handle: @Sendable (RouteInput, SimCore) -> Response

    init(
        path: String, methods: [HTTPRequest.Method], requiresAuth: Bool, tag: String, wrongShape: JSON,
        success: [HTTPRequest.Method: Int] = [:], parameters: [OpenAPIParameter] = [], requestBody: OpenAPIBody? = nil,
        notFound: String? = nil, handle: @escaping @Sendable (RouteInput, SimCore) -> Response
    ) {
        self.path = path; self.methods = methods; self.requiresAuth = requiresAuth; self.tag = tag
        self.wrongShape = wrongShape; self.success = success; self.parameters = parameters
        self.requestBody = requestBody; self.notFound = notFound; self.handle = handle
    }

    /// The template's segments (`["api", "threads", "{id}"]`).
    var segments: [Substring] { path.split(separator: "/") }

    var isTemplate: Bool { path.contains("{") }

    /// The names of the template's `{…}` segments, in order.
    var pathParameterNames: [String] {
        segments.filter { $0.hasPrefix("{") && $0.hasSuffix("}") }.map { String($0.dropFirst().dropLast()) }
    }

    /// For a template: the `{name}` → segment pairs if `path` (no trailing slash) matches it, else nil.
    func match(_ path: String) -> [String: String]? {
        let given = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        let own = segments
        guard given.count == own.count else { return nil }
        var found: [String: String] = [:]
        for (mine, theirs) in zip(own, given) {
            if mine.hasPrefix("{"), mine.hasSuffix("}") {
                guard !theirs.isEmpty else { return nil }
                found[String(mine.dropFirst().dropLast())] = String(theirs)
            } else if mine != theirs {
                return nil
            }
        }
        return found
    }

    /// The collection a templated route belongs to (`/api/threads` for `/api/threads/{id}`): its faults
    /// apply here too (`SimState.fault(forRequest:)`).
    var collectionPath: String? {
        guard isTemplate, let first = segments.firstIndex(where: { $0.hasPrefix("{") }), first > 0 else { return nil }
        return "/" + segments[..<first].joined(separator: "/")
    }
}

/// The HTTP surface the staging reports exercised (GitHub issue 2 item 7, streams from issue 5, threads by
/// id from issue 12). `/ws` is not here: upgrades are answered before routing (`WebSocketEndpoint`).
/// `/openapi.json` describes exactly these (`OpenAPIDocument`).
enum StagingRoutes {
    static let all: [StagingRoute] = [
        StagingRoute(
            path: "/health", methods: [.get], requiresAuth: false, tag: "health",
            wrongShape: ["state": "up"],  // no "status" key
            handle: { _, _ in SimResponses.json(200, HealthBodies.health) }),
        StagingRoute(
            path: "/api/health", methods: [.get], requiresAuth: false, tag: "health",
            wrongShape: ["status": "healthy", "checks": "all good"],  // checks should be an object
            handle: { _, _ in SimResponses.json(200, HealthBodies.apiHealth) }),
        StagingRoute(
            path: "/auth/e2e/token", methods: [.post], requiresAuth: false, tag: "auth",
            wrongShape: ["token": "not-a-jwt"],  // no access_token
            parameters: [OpenAPIParameter(name: "X-E2E-Bypass-Key", in: "header", required: true)],
            requestBody: OpenAPIBody(required: false, properties: ["user"]),
            handle: AuthHandlers.e2eToken),
        StagingRoute(
            path: "/api/user/profile", methods: [.get], requiresAuth: true, tag: "auth",
            wrongShape: ["user": nil],
            handle: AuthHandlers.profile),
        StagingRoute(
            path: "/api/discovery/services", methods: [.get], requiresAuth: false, tag: "discovery",
            wrongShape: ["services": "netra-backend,auth-service,mcp-server"],  // a string, not a list
            handle: { _, _ in SimResponses.json(200, DiscoveryBodies.services) }),
        StagingRoute(
            path: "/api/mcp/tools", methods: [.get], requiresAuth: false, tag: "discovery",
            wrongShape: ["tools": ["count": 11]],  // an object, not a list
            handle: { _, _ in SimResponses.json(200, DiscoveryBodies.tools) }),
        StagingRoute(
            path: "/api/agents/status", methods: [.get], requiresAuth: true, tag: "agents",
            wrongShape: ["agents": "unavailable"],  // no "status", agents not a list
            handle: AgentHandlers.status),
        StagingRoute(
            path: "/api/agents/start", methods: [.post], requiresAuth: true, tag: "agents",
            wrongShape: ["result": "ok"],
            requestBody: OpenAPIBody(required: false, properties: ["agent_id", "agent_type"]),
            handle: { input, core in AgentHandlers.control(input, core, action: .start) }),
        StagingRoute(
            path: "/api/agents/stop", methods: [.post], requiresAuth: true, tag: "agents",
            wrongShape: ["result": "ok"],
            requestBody: OpenAPIBody(required: false, properties: ["agent_id"]),
            handle: { input, core in AgentHandlers.control(input, core, action: .stop) }),
        StagingRoute(
            path: "/api/agents/cancel", methods: [.post], requiresAuth: true, tag: "agents",
            wrongShape: ["result": "ok"],
            requestBody: OpenAPIBody(required: false, properties: ["agent_id"]),
            handle: { input, core in AgentHandlers.control(input, core, action: .cancel) }),
        StagingRoute(
            path: "/api/threads", methods: [.get, .post], requiresAuth: true, tag: "threads",
            wrongShape: [],  // a bare list where an object was expected
            success: [.post: 201],
            requestBody: OpenAPIBody(required: false, properties: ["title"]),
            handle: ThreadHandlers.threads),
        StagingRoute(
            path: "/api/threads/{id}", methods: [.get, .delete], requiresAuth: true, tag: "threads",
            wrongShape: ["thread": nil],  // the thread wrapped, and empty
            success: [.delete: 204], notFound: ThreadHandlers.notFound,
            handle: ThreadHandlers.thread),
        StagingRoute(
            path: "/api/messages", methods: [.get], requiresAuth: true, tag: "threads",
            wrongShape: ["messages": "none"],
            parameters: [OpenAPIParameter(name: "thread_id", in: "query", required: false)],
            handle: ThreadHandlers.messages),
        StagingRoute(
            path: "/api/chat/messages", methods: [.get, .post], requiresAuth: true, tag: "threads",
            wrongShape: ["data": []],  // no "messages" key
            requestBody: OpenAPIBody(required: true, properties: ["content", "thread_id"], requiredProperties: ["content"]),
            handle: ThreadHandlers.chatMessages),
        // Server-sent events (issue 5 item 5); a wrong shape is a JSON body where a stream belonged.
        StagingRoute(
            path: StreamScripts.chatPath, methods: [.post], requiresAuth: true, tag: "streams",
            wrongShape: ["events": "unavailable"],
            requestBody: OpenAPIBody(required: false, properties: ["message", "content"]),
            handle: StreamHandlers.handler(for: StreamScripts.chatPath)),
        StagingRoute(
            path: StreamScripts.agentsPath, methods: [.get], requiresAuth: true, tag: "streams",
            wrongShape: ["agents": "unavailable"],
            handle: StreamHandlers.handler(for: StreamScripts.agentsPath)),
        StagingRoute(
            path: StreamScripts.eventsPath, methods: [.get], requiresAuth: true, tag: "streams",
            wrongShape: ["events": "unavailable"],
            handle: StreamHandlers.handler(for: StreamScripts.eventsPath)),
    ]

    private static let byPath: [String: StagingRoute] = Dictionary(
        uniqueKeysWithValues: all.filter { !$0.isTemplate }.map { ($0.path, $0) })
    private static let templates = all.filter(\.isTemplate)

    static var paths: [String] { all.map(\.path) }

    /// The route for `path` and what its template matched, ignoring one trailing slash ("/health/"
    /// serves "/health"). Plain paths win over templates.
    static func route(for path: String) -> (route: StagingRoute, parameters: [String: String])? {
        let bare = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        if let route = byPath[path] ?? byPath[bare] { return (route, [:]) }
        for route in templates {
            if let parameters = route.match(bare) { return (route, parameters) }
        }
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
