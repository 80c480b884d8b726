/// The shared heart of one running simulator: its state, its bypass key, and the two events that
/// make shutdown prompt (`stopping` interrupts simulated delays; `drained` says the last in-flight
/// request has answered).
final class SimCore: Sendable {
    let state: Locked<SimState>
    let bypassKey: String
    let stopping = OneShotEvent()
    let drained = OneShotEvent()
    private let inFlight = Locked(0)

    init(scenario: Scenario, bypassKey: String) {
        self.state = Locked(SimState(scenario: scenario))
        self.bypassKey = bypassKey
    }

    var requestsInFlight: Int { inFlight.withLock { $0 } }

    func requestBegan() {
        inFlight.withLock { $0 += 1 }
    }

    func requestEnded() {
        let idle = inFlight.withLock { count -> Bool in
            count -= 1
            return count == 0
        }
        if idle, stopping.hasFired { drained.fire() }
    }

    /// Interrupts every simulated delay; `drained` fires once nothing is in flight.
    func beginStopping() {
        stopping.fire()
        if requestsInFlight == 0 { drained.fire() }
    }

    func setScenario(_ name: String) throws {
        guard let scenario = Scenarios.named(name) else {
            throw SimError.unknownScenario(name, known: Scenarios.names)
        }
        // A new scenario starts clean: leftover overrides from a previous one would be surprising.
        state.withLock {
            $0.scenario = scenario
            $0.overrides = [:]
        }
    }

    func setFault(_ fault: RouteFault?, for route: String) {
        state.withLock { $0.overrides[route] = fault }
    }

    func clearOverrides() {
        state.withLock { $0.overrides = [:] }
    }
}
