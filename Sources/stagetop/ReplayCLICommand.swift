import ArgumentParser
import Foundation
import StageModel
import StageReports
import StageTerminal
import StageUI

struct ReplayCLICommand: ParsableCommand, AsyncRunnable {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Drive the dashboard from a recording: Space pause, ←/→ step, [ ] previous/next cycle, + - speed."
    )

    @Argument(help: "The recording (check --record / watch --record).")
    var recording: String

    @Option(help: "Playback speed (1 = real time).")
    var speed: Double = 1

    @OptionGroup var display: DisplayOptions

    func execute() async throws {
        guard TerminalCheck.isInteractive() else {
            Console.error("replay needs a terminal (stdout is not a TTY); for a text summary use: stagetop report \(recording)")
            throw ExitCode(ExitStatus.usage)
        }
        let rec: Recording
        do { rec = try Recording.read(path: recording) } catch {
            Console.error("\(error)")
            throw ExitCode(ExitStatus.usage)
        }
        // Warnings go out before the screen is up; nothing may print over it later.
        for w in rec.warnings { Console.error("warning: \(w)") }
        guard let look = Dashboard.display(display) else { throw ExitCode(ExitStatus.usage) }
        let source = ReplaySource(player: ReplayPlayer(rec, speed: speed))
        let outcome = await Dashboard.runLoop(source: source, display: look, requests: [:])
        if case .success(let signal?) = outcome { throw ExitCode(128 + signal) }
        if case .failure(let error) = outcome {
            Console.error("\(error)")
            throw ExitCode(ExitStatus.internalError)
        }
    }
}

/// A recording played on a virtual clock as a dashboard source.
final class ReplaySource: DashboardSource, @unchecked Sendable {  // UI thread only
    var player: ReplayPlayer
    private var moves: UInt64 = 0

    init(player: ReplayPlayer) { self.player = player }

    // The store's version alone would miss seeks that rebuild it to an equal count.
    var version: UInt64 { player.version &+ moves &* 1_000_003 }
    func snapshot() -> Snapshot { player.snapshot() }

    var replayStatus: ReplayStatus? {
        ReplayStatus(cycle: player.currentCycle, cycles: player.totalCycles, speed: player.speed, paused: player.paused)
    }

    func tick(elapsed: TimeInterval) {
        let before = player.position
        player.advance(realElapsed: elapsed)
        if player.position != before { moves &+= 1 }
    }

    func perform(_ command: ReplayCommand) {
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

    func perform(_ command: Command, snapshot: Snapshot) {
        // p pauses playback too; re-running probes means nothing in a recording.
        if command == .togglePause { perform(ReplayCommand.togglePause) }
    }
}
