import Foundation
import StageModel

/// Plays a recording back into a store on a virtual clock: the dashboard renders `snapshot()` exactly as
/// it renders a live store. Seeking rebuilds the store from the start (reducing ~10k events takes
/// milliseconds), which keeps one code path for every move.
public struct ReplayPlayer: Sendable {
    public static let speeds: [Double] = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128]

    public let header: RecordingHeader
    /// Every event with the time it happened, in recorded order.
    let timeline: [(at: Date, event: ProbeEvent)]
    /// For each closed cycle, how many timeline events it took to close it.
    let cycleEnds: [Int]
    public private(set) var position = 0
    public private(set) var now: Date
    public private(set) var speed: Double = 1
    public var paused = false
    private(set) var store: Store

    public init(_ recording: Recording, speed: Double = 1) {
        header = recording.header
        var last = recording.header.startedAt
        var timeline: [(Date, ProbeEvent)] = []
        var ends: [Int] = []
        for entry in recording.entries {
            switch entry {
            case .event(let e):
                let at = ReplayPlayer.time(of: e) ?? last
                last = max(last, at)
                timeline.append((at, e))
            case .cycle:
                ends.append(timeline.count)
            case .header:
                break
            }
        }
        self.timeline = timeline
        cycleEnds = ends
        now = recording.header.startedAt
        store = recording.header.makeStore()
        self.speed = speed
    }

    static func time(of e: ProbeEvent) -> Date? {
        switch e {
        case .finished(let r): r.finishedAt
        case .started(_, let at), .note(_, let at): at
        case .closed(let c): c.at
        case .login(let l): l.at
        case .streamProgress(let p): p.startedAt
        case .connection, .journeyStep: nil
        }
    }

    public var eventCount: Int { timeline.count }
    public var totalCycles: Int { cycleEnds.count }
    public var currentCycle: Int { store.completedCycles }
    public var atEnd: Bool { position >= timeline.count }
    public var version: UInt64 { store.version }

    public func snapshot() -> Snapshot { store.snapshot(at: now) }

    /// Moves the virtual clock by `elapsed` real seconds × speed, applying what happened meanwhile.
    public mutating func advance(realElapsed elapsed: TimeInterval) {
        guard !paused, !atEnd else { return }
        now = now.addingTimeInterval(elapsed * speed)
        while position < timeline.count, timeline[position].at <= now {
            store.apply(timeline[position].event)
            position += 1
        }
        if atEnd { paused = true }
        store.refreshStats()
    }

    /// One event forward (and pause: stepping is for reading).
    public mutating func stepForward() {
        paused = true
        guard position < timeline.count else { return }
        store.apply(timeline[position].event)
        now = max(now, timeline[position].at)
        position += 1
        store.refreshStats()
    }

    public mutating func stepBack() {
        paused = true
        seek(toPosition: position - 1)
    }

    /// To the end of cycle `n` (0 = the very start).
    public mutating func seek(toCycle n: Int) {
        let n = min(max(0, n), cycleEnds.count)
        seek(toPosition: n == 0 ? 0 : cycleEnds[n - 1])
    }

    public mutating func nextCycle() { seek(toCycle: currentCycle + 1) }

    /// Back to the end of the previous cycle; from inside a cycle, back to its start first.
    public mutating func previousCycle() {
        let startOfCurrent = currentCycle == 0 ? 0 : cycleEnds[currentCycle - 1]
        seek(toCycle: position > startOfCurrent ? currentCycle : currentCycle - 1)
    }

    public mutating func faster() { speed = ReplayPlayer.speeds.first { $0 > speed } ?? speed }
    public mutating func slower() { speed = ReplayPlayer.speeds.last { $0 < speed } ?? speed }

    mutating func seek(toPosition target: Int) {
        let target = min(max(0, target), timeline.count)
        var s = header.makeStore()
        for i in 0..<target { s.apply(timeline[i].event) }
        s.refreshStats()
        store = s
        position = target
        now = target == 0 ? header.startedAt : timeline[target - 1].at
    }
}
