import Foundation
import StageModel
import StageReports
import StageUI

/// A recording played on a virtual clock as a dashboard source.
public final class ReplaySource: DashboardSource, @unchecked Sendable {  // UI thread only
    var player: ReplayPlayer
    private var moves: UInt64 = 0

    public init(player: ReplayPlayer) { self.player = player }

    // The store's version alone would miss seeks that rebuild it to an equal count.
    public var version: UInt64 { player.version &+ moves &* 1_000_003 }
    public func snapshot() -> Snapshot { player.snapshot() }

    public var replayStatus: ReplayStatus? {
        ReplayStatus(cycle: player.currentCycle, cycles: player.totalCycles, speed: player.speed, paused: player.paused)
    }

    public func tick(elapsed: TimeInterval) {
        let before = player.position
        player.advance(realElapsed: elapsed)
        if player.position != before { moves &+= 1 }
    }

    public func perform(_ command: ReplayCommand) {
        switch command {
        case .togglePause: player.paused.toggle()
        case .stepForward: player.stepForward()
        case .stepBack: player.stepBack()
        case .previousCycle: player.previousCycle()
        case .nextCycle: player.nextCycle()
        case .faster: player.faster()
        case .slower: player.slower()
        }
        moves &+= 1
    }

    public func perform(_ command: Command, snapshot: Snapshot) {
        // p pauses playback too; re-running probes means nothing in a recording.
        if command == .togglePause { perform(ReplayCommand.togglePause) }
    }
}
