import Foundation

/// What the agent's HTTP API reads and steers: the probes running in this process. The server knows
/// nothing of probes; `StageApp` wires a probe session to this.
public protocol AgentBackend: Sendable {
    /// `/metrics`: hands `body` the Prometheus exposition of the current state and counters (UTF-8),
    /// valid only during the call (the agent renders into one reused buffer).
    func withMetrics<T: Sendable>(_ body: (UnsafeRawBufferPointer) -> T) -> T
    /// `/api/v1/snapshot`: the JSON report (schema v1) and the id of the last event it includes, taken
    /// together so a client that resumes events from that id sees each event exactly once.
    func snapshotJSON() -> (json: String, lastEventID: UInt64)
    /// `/api/v1/state`: hands `body` the whole dashboard state (`StateDocument`, UTF-8 JSON) for
    /// `watch --attach` and the id of the last event it includes; the bytes are valid only during the call.
    func withState<T: Sendable>(_ body: (UnsafeRawBufferPointer, _ lastEventID: UInt64) -> T) -> T
    /// `POST /api/v1/run`: re-runs one probe (nil: every probe). False for an unknown or disabled probe.
    func run(probe: String?) async -> Bool
    /// `POST /api/v1/pause`: no new runs start while paused; runs in flight finish.
    func setPaused(_ paused: Bool) async
    var isPaused: Bool { get }
    /// For `/healthz`.
    var probeCount: Int { get }
}
