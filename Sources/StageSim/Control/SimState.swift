import Foundation

/// Everything about a running simulator that changes at run time: the scenario, the overrides on top
/// of it, the server settings (rate limit, token lifetime) and the little bit of data the staging
/// routes keep (threads, messages, agents).
struct SimState: Sendable {
    static let defaultTokenLifetimeSeconds = 900

    var scenario: Scenario
    /// Run-time overrides (from `setFault` or `PUT /__sim/faults`); they replace the scenario's fault
    /// for their route, and an empty `RouteFault()` masks it.
    var overrides: [String: RouteFault] = [:]
    /// Replaces the scenario's WebSocket faults as a whole (`WSFaults()` masks them); nil: the scenario's.
    var wsOverride: WSFaults?
    /// Stream route → mode, replacing the scenario's for that route.
    var streamOverrides: [String: StreamMode] = [:]
    /// Server settings, not part of a scenario, so switching scenario keeps them.
    /// nil: no rate limiting at all.
    var rateLimit: TokenBucket? = TokenBucket()
    /// Lifetime of tokens from `/auth/e2e/token` (staging's were 15 minutes).
    var tokenLifetimeSeconds = SimState.defaultTokenLifetimeSeconds
    var data = StagingData()

    init(scenario: Scenario) {
        self.scenario = scenario
    }

    /// The fault set for exactly this key (a request path, or a route's template).
    func fault(for path: String) -> RouteFault? {
        overrides[path] ?? scenario.faults[path]
    }

    /// The fault a request to `path` meets. A fault on the exact path wins; for a path a templated route
    /// serves (`/api/threads/thread-1`), next the fault set on the template (`/api/threads/{id}`, every id
    /// at once), then the one set on its collection (`/api/threads`): a threads service that is missing,
    /// broken, slow or answering the wrong shape is so by id too. A collection's redirect does not carry
    /// over: it points at one path (the reports' 307 to a trailing slash).
    func fault(forRequest path: String) -> RouteFault? {
        if let exact = fault(for: path) { return exact }
        guard let (route, _) = StagingRoutes.route(for: path), route.isTemplate else { return nil }
        return fault(forRoute: route)
    }

    /// The fault every request to `route` meets (no exact-path fault in the way): for a template, its own,
    /// else its collection's without the redirect.
    func fault(forRoute route: StagingRoute) -> RouteFault? {
        if let own = fault(for: route.path) { return own }
        guard let collection = route.collectionPath, var inherited = fault(for: collection) else { return nil }
        inherited.redirectTo = nil
        return inherited == RouteFault() ? nil : inherited
    }

    /// Whether `route` is served at all in the current state. A 404 fault is how a scenario models a route
    /// the deployed revision did not have (reports 000 and 003), so `/openapi.json` leaves it out, as
    /// FastAPI's document only lists the routes the running app has.
    func isDeployed(_ route: StagingRoute) -> Bool {
        fault(forRoute: route)?.status != 404
    }

    var wsFaults: WSFaults { wsOverride ?? scenario.ws }

    func streamMode(for route: String) -> StreamMode {
        streamOverrides[route] ?? scenario.streams[route] ?? .ok
    }

    /// The scenario's stream modes with the overrides laid on top, `.ok` ones dropped.
    var activeStreamModes: [String: StreamMode] {
        scenario.streams.merging(streamOverrides) { _, override in override }.filter { $0.value != .ok }
    }

    /// Drops every run-time override (the scenario and the server settings stay).
    mutating func clearOverrides() {
        overrides = [:]
        wsOverride = nil
        streamOverrides = [:]
    }

    /// The scenario's faults with the overrides laid on top, empty ones dropped: what is in force.
    var activeFaults: [String: RouteFault] {
        scenario.faults.merging(overrides) { _, override in override }
            .filter { $0.value != RouteFault() }
    }

    /// How long to wait before answering `path`: the fault's own latency, else the scenario's base.
    func latencyMs(for path: String) -> Double {
        let fault = fault(forRequest: path)
        let (delay, jitter) =
            fault?.setsLatency == true
            ? (fault?.delayMs ?? 0, fault?.jitterMs ?? 0)
            : (scenario.baseDelayMs, scenario.baseJitterMs)
        return max(0, delay) + (jitter > 0 ? Double.random(in: 0...jitter) : 0)
    }
}

/// The state behind the stateful staging routes. Seeded with one thread and two messages so list
/// conditions like `len([BODY].threads) >= 1` hold on a fresh simulator, as on a used staging.
struct StagingData: Sendable {
    struct Thread: Sendable {
        var id: String
        var title: String
        var createdAt: String
    }
    struct Message: Sendable {
        var id: String
        var threadID: String
        var role: String
        var content: String
        var createdAt: String
    }
    struct Agent: Sendable {
        var id: String
        var type: String
        var status: String
    }

    static let seedTime = "2025-09-09T10:40:00Z"

    var threads = [Thread(id: "thread-1", title: "Staging smoke test", createdAt: seedTime)]
    var messages = [
        Message(id: "msg-1", threadID: "thread-1", role: "user", content: "status?", createdAt: seedTime),
        Message(
            id: "msg-2", threadID: "thread-1", role: "assistant", content: "All systems nominal.",
            createdAt: seedTime),
    ]
    var agents = [
        Agent(id: "supervisor", type: "supervisor_agent", status: "idle"),
        Agent(id: "triage", type: "triage_agent", status: "idle"),
        Agent(id: "data", type: "data_agent", status: "idle"),
    ]
    private var nextID = 100

    mutating func makeID(_ prefix: String) -> String {
        nextID += 1
        return "\(prefix)-\(nextID)"
    }
}
