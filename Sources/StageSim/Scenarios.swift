/// The scenarios the simulator ships. Each failing one models one report in
/// `shared/staging-reports/` (HTTP part only for now; WebSocket and stream faults land later).
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
    ]

    public static func named(_ n: String) -> Scenario? {
        all.first { $0.name == n }
    }

    public static var names: [String] { all.map(\.name) }

    static let healthy = Scenario(
        name: "healthy",
        summary: "every route answers 200 in a few ms (the staging the reports wanted)"
    )

    static let ws403Routes404 = Scenario(
        name: "ws-403-routes-404",
        summary: "000_838e89e19630cfe2.txt (2025-09-07 iteration 5): /api/user/profile missing (404 even for bad tokens), /api/health 404; WS 403 later",
        faults: [
            // The route is gone, so an invalid token meets a 404 before any auth check (the report's
            // "expected 401 but got 404").
            "/api/user/profile": .status(404),
            // The rate-limit test hammered /api/health and saw 404 instead of 200/429.
            "/api/health": .status(404),
        ]
    )

    static let ws1008BadBypass = Scenario(
        name: "ws-1008-bad-bypass",
        summary: "001_48e96ca605a6395b.txt (2025-09-07): /auth/e2e/token answers 401 Invalid E2E bypass key; WS 1008 later",
        faults: [
            "/auth/e2e/token": .status(401, detail: "Invalid E2E bypass key")
        ]
    )

    static let redirect307Discovery500 = Scenario(
        name: "redirect-307-discovery-500",
        summary: "002_3fbb226619eff32e.txt (2025-09-08): /health and /api/health 307 to a trailing slash, /api/discovery/services 500",
        faults: [
            // Following the redirect works (the trailing-slash path has no fault), as on staging;
            // a probe with follow_redirects: false sees the 307.
            "/health": .redirect(to: "/health/"),
            "/api/health": .redirect(to: "/api/health/"),
            "/api/discovery/services": .status(500),
        ]
    )

    static let ws1011Routes404 = Scenario(
        name: "ws-1011-routes-404",
        summary: "003_ea047ef8521e1800.txt (2025-09-08): /api/agents/start|stop|cancel and /api/messages 404, /api/chat/messages 403; WS 1011 later",
        faults: [
            "/api/agents/start": .status(404),
            "/api/agents/stop": .status(404),
            "/api/agents/cancel": .status(404),
            "/api/messages": .status(404),
            "/api/chat/messages": .status(403),
            // Not served yet (streams land later), but the report saw 403 here too.
            "/api/chat/stream": .status(403),
        ]
    )

    static let ws1011StreamsHang = Scenario(
        name: "ws-1011-streams-hang",
        summary: "004_45596889e4980cc4.txt (2025-09-09): HTTP fine, /api/agents/status avg ~82.7 ms (75 + jitter 0..15); WS 1011 and stream hangs later",
        faults: [
            // Mean 75 + 15/2 = 82.5 ms of sleep; the server's own overhead brings the report's 82.7.
            "/api/agents/status": .delay(ms: 75, jitterMs: 15)
        ]
    )
}
