import Foundation
import StageModel
import StageUI

/// What the dashboard loop shows and steers: a live probe session, or a recording being replayed.
/// Called from the UI thread only.
public protocol DashboardSource: AnyObject {
    /// Changes whenever the snapshot would (so frames are drawn only when something changed).
    var version: UInt64 { get }
    /// Log entries ever written (verdict changes, closes, notes), when the source can tell without a
    /// snapshot: a change is news, drawn at once instead of at the next result frame. Nil: no such hint.
    var logTotal: Int? { get }
    func snapshot() -> Snapshot
    /// Live commands (re-run, pause); a replay ignores the ones that make no sense there.
    func perform(_ command: Command, snapshot: Snapshot)
    /// Replay only: the badge, and the keys' effects. Live sources return nil and ignore them.
    var replayStatus: ReplayStatus? { get }
    func perform(_ command: ReplayCommand)
    /// Called every loop turn with the real time elapsed (replay moves its virtual clock).
    func tick(elapsed: TimeInterval)
    /// The request behind each probe, for the detail view, when the source knows them (a live session:
    /// they follow a config reload); nil keeps what the loop was given.
    var requests: [String: ProbeRequestInfo]? { get }
}

extension DashboardSource {
    public var requests: [String: ProbeRequestInfo]? { nil }
    public var logTotal: Int? { nil }
}

/// A source that can wake the loop on news. Others (a replay, whose clock moves by `tick`; an attached
/// dashboard, which polls its agents) are looked at every 50 ms instead.
protocol NewsRinging: DashboardSource {
    /// Rings `bell` on news from now on, and says whether it will; nil: no more.
    @discardableResult
    func ringOnNews(_ bell: NewsBell?) -> Bool
}
