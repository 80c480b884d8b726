/// The scenarios the simulator ships. Each failing one models one report in
/// the staging reports the team kept (summarised per scenario below): its HTTP routes, its WebSocket and its event streams. `/api/health` is
/// rate limited (20, refilled 5 per second) in every scenario; that is a server setting, not a fault.
public enum Scenarios {
    /// What `stagetop demo` starts with: failures of three different classes at once.
    public static let defaultDemo: String = "redirect-307-discovery-500"

    public static let all: [Scenario] = [
        healthy,
        ws403Routes404,
        ws1008BadBypass,
        redirect307Discovery500,
        ws1011Routes404,
        ws1011StreamsHang,
        legacyWelcome,
        missingAgentCompleted,
        lostWrites,
    ]

    public static func named(_ n: String) -> Scenario? {
        all.first { $0.name == n }
    }

    public static var names: [String] { all.map(\.name) }

    static let healthy = Scenario(
        name: "healthy",
        summary: "every route answers 200 in a few ms, /ws welcomes and chats, streams finish (the staging the reports wanted)"
    )

    static let ws403Routes404 = Scenario(
        name: "ws-403-routes-404",
        summary: "000_838e89e19630cfe2.txt (2025-09-07 iteration 5): /ws handshake 403, /api/user/profile missing (404 even for bad tokens), /api/health 404 (the rate-limit test saw 404)",
        faults: [
            // The route is gone, so an invalid token meets a 404 before any auth check (the report's
            // "expected 401 but got 404").
            "/api/user/profile": .status(404),
            // The rate-limit test hammered /api/health and saw 404 instead of 200/429: the fault
            // answers before the rate limiter.
            "/api/health": .status(404),
        ],
        // Four tests (connection, chat flow, user journey, concurrent) failed on "HTTP 403 Forbidden".
        ws: WSFaults(handshakeStatus: 403)
    )

    static let ws1008BadBypass = Scenario(
        name: "ws-1008-bad-bypass",
        summary: "001_48e96ca605a6395b.txt (2025-09-07): /auth/e2e/token 401 Invalid E2E bypass key; every /ws connection, valid JWT or not, gets AUTH_REQUIRED then close 1008 Authentication failed, so no agent events",
        faults: [
            "/auth/e2e/token": .status(401, detail: "Invalid E2E bypass key")
        ],
        // "received 1008 (policy violation) Authentication failed" although the JWTs were fine.
        ws: WSFaults(rejectAllTokens: true)
    )

    static let redirect307Discovery500 = Scenario(
        name: "redirect-307-discovery-500",
        summary: "002_3fbb226619eff32e.txt (2025-09-08): /health and /api/health 307 to a trailing slash, /api/discovery/services 500, a second concurrent /ws gets its welcome then 1011 Factory SSOT validation failed",
        faults: [
            // Following the redirect works (the trailing-slash path has no fault), as on staging;
            // a probe with follow_redirects: false sees the 307.
            "/health": .redirect(to: "/health/"),
            "/api/health": .redirect(to: "/api/health/"),
            "/api/discovery/services": .status(500),
        ],
        // "Single WebSocket connections now work reliably"; the concurrent test failed with 1011.
        ws: WSFaults(maxConcurrent: 1)
    )

    static let ws1011Routes404 = Scenario(
        name: "ws-1011-routes-404",
        summary: "003_ea047ef8521e1800.txt (2025-09-08): /ws welcome then close 1011 Internal error; /api/agents/start|stop|cancel, /api/messages, /api/events/stream 404; /api/chat/messages and POST /api/chat/stream 403",
        faults: [
            "/api/agents/start": .status(404),
            "/api/agents/stop": .status(404),
            "/api/agents/cancel": .status(404),
            "/api/messages": .status(404),
            "/api/events/stream": .status(404),
            "/api/chat/messages": .status(403),
            "/api/chat/stream": .status(403),
        ],
        // "received 1011 (internal error) Internal error" once connected.
        ws: WSFaults(closeAfterWelcome: WSCloseCodes.internalError)
    )

    static let ws1011StreamsHang = Scenario(
        name: "ws-1011-streams-hang",
        summary: "004_45596889e4980cc4.txt (2025-09-09): /ws closes 1011 before any welcome; /api/chat/stream stalls after 2 events and /api/events/stream never sends a byte (the two tests that hung); HTTP fine, /api/agents/status ~82.7 ms",
        faults: [
            // Mean 75 + 15/2 = 82.5 ms of sleep; the server's own overhead brings the report's 82.7.
            "/api/agents/status": .delay(ms: 75, jitterMs: 15)
        ],
        // "1011 error on welcome message wait".
        ws: WSFaults(closeOnConnect: WSCloseCodes.internalError),
        // Test 23 (streaming_partial_results) got partial results then nothing; test 25
        // (critical_event_delivery) got nothing at all. Both "hang indefinitely".
        streams: [
            "/api/chat/stream": .stallAfter(2),
            "/api/events/stream": .noFirstByte,
        ]
    )

    static let legacyWelcome = Scenario(
        name: "legacy-welcome",
        summary: "002_3fbb226619eff32e.txt (2025-09-08) \"Unexpected welcome message format\": the welcome shape changed between versions; this one sends the old flat {\"type\":\"connection_established\",...} instead of the system_message wrapper; all else healthy",
        ws: WSFaults(legacyWelcome: true)
    )

    static let missingAgentCompleted = Scenario(
        name: "missing-agent-completed",
        summary: "001_48e96ca605a6395b.txt's missing-events check, narrowed: the chat flow never sends agent_completed (the user never learns the answer is ready); all else healthy",
        ws: WSFaults(omitEvents: ["agent_completed"])
    )

    static let lostWrites = Scenario(
        name: "lost-writes",
        summary: "GitHub issue 12's read-after-write check: a store that loses writes; POST /api/threads answers 201 with an id but nothing is stored, so GET /api/threads/{id} answers 404 Thread not found (messages and deletes are lost the same way); every route answers, so only a read by id tells",
        losesWrites: true
    )
}
