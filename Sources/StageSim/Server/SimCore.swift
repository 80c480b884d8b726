/// The shared heart of one running simulator: its state, its bypass key, and the two events that
/// make shutdown prompt (`stopping` interrupts simulated delays, event streams and WebSockets;
/// `drained` says the last request has answered and the last stream and socket have ended).
final class SimCore: Sendable {
    let state: Locked<SimState>
    let bypassKey: String
    let stopping = OneShotEvent()
    let drained = OneShotEvent()
    private let activity = Locked(Activity())

    /// What is still running. Counted apart because `/__sim/state` reports them apart, and an open
    /// WebSocket is not a request waiting for its answer.
    private struct Activity {
        var requests = 0
        /// Staging requests answered since start (`/__sim/state` `requests_served`: a benchmark counts a
        /// prober's completed runs here, at the server, without the prober writing anything).
        var served = 0
        var streams = 0
        var sockets = 0
        /// Open sockets per client (`WebSocketEndpoint.clientHeader`), for `maxConcurrent`.
        var socketsByClient: [String: Int] = [:]
        var idle: Bool { requests == 0 && streams == 0 && sockets == 0 }
    }

    init(scenario: Scenario, bypassKey: String) {
        self.state = Locked(SimState(scenario: scenario))
        self.bypassKey = bypassKey
    }

    /// Staging requests waiting for their answer (streams count once their body starts, below).
    var requestsInFlight: Int { activity.withLock { $0.requests } }
    /// Staging requests answered since start.
    var requestsServed: Int { activity.withLock { $0.served } }
    /// Event-stream bodies being written.
    var openStreams: Int { activity.withLock { $0.streams } }
    /// Upgraded WebSocket connections.
    var openSockets: Int { activity.withLock { $0.sockets } }

    func requestBegan() {
        activity.withLock { $0.requests += 1 }
    }

    func requestEnded() {
        ended { $0.requests -= 1; $0.served += 1 }
    }

    func streamBegan() {
        activity.withLock { $0.streams += 1 }
    }

    func streamEnded() {
        ended { $0.streams -= 1 }
    }

    /// Counts a new WebSocket and returns how many `client` has open, it included (for `maxConcurrent`).
    func socketOpened(client: String) -> Int {
        activity.withLock { activity -> Int in
            activity.sockets += 1
            activity.socketsByClient[client, default: 0] += 1
            return activity.socketsByClient[client, default: 0]
        }
    }

    func socketClosed(client: String) {
        ended { activity in
            activity.sockets -= 1
            let left = activity.socketsByClient[client, default: 1] - 1
            activity.socketsByClient[client] = left > 0 ? left : nil
        }
    }

    private func ended(_ change: (inout Activity) -> Void) {
        let idle = activity.withLock { activity -> Bool in
            change(&activity)
            return activity.idle
        }
        if idle, stopping.hasFired { drained.fire() }
    }

    /// Interrupts every simulated delay, stream and WebSocket; `drained` fires once nothing runs.
    func beginStopping() {
        stopping.fire()
        if activity.withLock({ $0.idle }) { drained.fire() }
    }

    func setScenario(_ name: String) throws {
        guard let scenario = Scenarios.named(name) else {
            throw SimError.unknownScenario(name, known: Scenarios.names)
        }
        // A new scenario starts clean: leftover overrides from a previous one would be surprising.
        state.withLock {
            $0.scenario = scenario
            $0.clearOverrides()
        }
    }

    func setFault(_ fault: RouteFault?, for route: String) {
        state.withLock { $0.overrides[route] = fault }
    }

    func clearOverrides() {
        state.withLock { $0.clearOverrides() }
    }

    func setWSFaults(_ faults: WSFaults?) {
        state.withLock { $0.wsOverride = faults }
    }

    func setStreamMode(_ mode: StreamMode?, for route: String) {
        state.withLock { $0.streamOverrides[route] = mode }
    }

    /// A fresh, full bucket with these numbers; nil turns rate limiting off.
    func setRateLimit(_ bucket: TokenBucket?) {
        state.withLock { $0.rateLimit = bucket }
    }

    func setTokenLifetime(seconds: Int) {
        state.withLock { $0.tokenLifetimeSeconds = seconds }
    }
}
