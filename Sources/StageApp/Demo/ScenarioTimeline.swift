import Foundation
import StageModel
import StageSim

/// `demo --timeline`: walks the simulated staging through the staging reports in the order they were
/// written, a few cycles each (and on `n`), so a demo shows the pass rate move as it did for the team.
public final class ScenarioTimeline: @unchecked Sendable {  // UI thread only
    /// The reports in date order, then the staging they were working towards.
    static let steps: [(scenario: String, label: String)] = [
        ("ws-403-routes-404", "2025-09-07 iteration 5: WS 403, profile 404"),
        ("ws-1008-bad-bypass", "2025-09-07 loop 1: bypass key 401, WS 1008"),
        ("ws-1011-routes-404", "2025-09-08 cycle 1: WS 1011, agent routes 404"),
        ("redirect-307-discovery-500", "2025-09-08 cycle 2: 307 health, discovery 500"),
        ("ws-1011-streams-hang", "2025-09-09 session 6: 1011 on connect, two hung streams"),
        ("healthy", "fixed: the staging the reports wanted"),
    ]

    let sim: SimServer
    let store: SharedStore
    let cyclesPerStep: Int
    private(set) var index = 0
    private var stepStartedAtCycle = 0

    public init(sim: SimServer, store: SharedStore, cyclesPerStep: Int) {
        self.sim = sim; self.store = store; self.cyclesPerStep = max(1, cyclesPerStep)
    }

    /// Starts at the first report.
    public func begin() {
        apply(0, cycle: store.snapshot().completedCycles)
    }

    /// Called every loop turn: moves on once the current step has had its cycles (the last step stays).
    public func tick() {
        let done = store.snapshot().completedCycles
        if index < Self.steps.count - 1, done - stepStartedAtCycle >= cyclesPerStep { advance() }
    }

    public func advance() {
        apply(min(index + 1, Self.steps.count - 1), cycle: store.snapshot().completedCycles)
    }

    private func apply(_ i: Int, cycle: Int) {
        let step = Self.steps[i]
        guard (try? sim.setScenario(step.scenario)) != nil else { return }
        index = i
        stepStartedAtCycle = cycle
        store.apply(.note("timeline \(i + 1)/\(Self.steps.count): scenario \(step.scenario) (\(step.label))", at: Date()))
    }
}
