import Foundation
import Testing
@testable import StageModel
@testable import StageUI

@Suite struct ReplayTests {
    let theme = Theme.builtinDefault.resolved(for: .truecolor)

    func replaying(_ status: ReplayStatus = ReplayStatus(cycle: 3, cycles: 12)) -> ViewState {
        var v = ViewState()
        v.replay = status
        return v
    }

    @Test func badgeInTheHeaderAtBothSizes() throws {
        for (w, h) in [(80, 24), (120, 40)] {
            let (b, _) = Fixtures.render(DashboardFixtures.snapshot(), width: w, height: h, view: replaying())
            #expect(b.line(0).contains(" REPLAY 1.0× cycle 3/12 "), "at \(w)x\(h): \(b.line(0))")
            let pos = (try #require(b.find("REPLAY")))
            #expect(b[pos.x, pos.y].style == theme[.headerBadgeReplay])
            #expect(b.line(0).contains("netra-staging"))
        }
        let (live, _) = Fixtures.render(DashboardFixtures.snapshot(), width: 120, height: 40)
        #expect(!live.text.contains("REPLAY"))
        #expect(ReplayStatus(cycle: 3, cycles: 12, speed: 2, paused: true).badge == "REPLAY paused cycle 3/12")
        #expect(ReplayStatus(cycle: 1, cycles: 2, speed: 0.5).badge == "REPLAY 0.5× cycle 1/2")
        #expect(ReplayStatus.speedText(16) == "16×")
    }

    @Test func replayKeysAreHintedOnlyInReplay() {
        for (w, h) in [(80, 24), (120, 40)] {
            let (b, _) = Fixtures.render(DashboardFixtures.snapshot(), width: w, height: h, view: replaying())
            #expect(b.line(h - 1).hasPrefix("Space pause ←/→ step [/] cycle +/- speed q quit"), "\(b.line(h - 1))")
            let (live, _) = Fixtures.render(DashboardFixtures.snapshot(), width: w, height: h)
            #expect(!live.line(h - 1).contains("Space") && !live.line(h - 1).contains("speed"))
        }
        let (paused, _) = Fixtures.render(DashboardFixtures.snapshot(), width: 80, height: 24,
                                          view: replaying(ReplayStatus(cycle: 3, cycles: 12, paused: true)))
        #expect(paused.line(23).hasPrefix("Space play "))
        let (ascii, _) = Fixtures.render(DashboardFixtures.snapshot(), width: 120, height: 40, view: replaying(), renderer: Renderer(glyphs: .ascii))
        #expect(ascii.line(39).hasPrefix("Space pause Left/Right step"))
        #expect(ascii.line(0).contains("REPLAY 1.0x cycle 3/12"))
    }

    @Test func replayKeysBecomeReplayCommands() {
        let v = replaying()
        let expected: [(Key, ReplayCommand)] = [(.char(" "), .togglePause), (.right, .stepForward), (.left, .stepBack),
                                                 (.char("["), .previousCycle), (.char("]"), .nextCycle), (.char("+"), .faster), (.char("-"), .slower)]
        for (key, command) in expected { #expect(reduceReplay(v, key: key) == command, "\(key)") }
        #expect(reduceReplay(v, key: .char("q")) == nil) // not a replay key: goes to `reduce`
        #expect(reduceReplay(ViewState(), key: .char(" ")) == nil) // live: no replay
        var typing = v
        typing.filterDraft = "ws"
        #expect(reduceReplay(typing, key: .char("-")) == nil) // a filter being typed takes the text
        var help = v
        help.showHelp = true
        #expect(reduceReplay(help, key: .char(" ")) == nil)
        // The live reducer ignores them, so nothing else happens on the same key.
        var live = ViewState()
        #expect(reduce(&live, key: .char("]"), snapshot: DashboardFixtures.snapshot()).isEmpty && live == ViewState())
    }

    @Test func helpListsReplayKeysOnlyInReplayAndFitsAt80x24() {
        for (w, h) in [(80, 24), (120, 40)] {
            var v = replaying()
            v.showHelp = true
            let (b, _) = Fixtures.render(DashboardFixtures.snapshot(), width: w, height: h, view: v)
            #expect(b.text.contains("While replaying"), "at \(w)x\(h)")
            for binding in KeyMap.standard.replay {
                #expect(b.lines.contains { $0.contains(binding.label) && $0.contains(String(binding.description.prefix(16))) },
                        "\(binding.label) at \(w)x\(h)")
            }
            // Every normal key is still listed.
            for binding in KeyMap.standard.bindings {
                #expect(b.lines.contains { $0.contains(String(binding.description.prefix(14))) }, "\(binding.description) at \(w)x\(h)")
            }
        }
        var live = ViewState()
        live.showHelp = true
        let (b, _) = Fixtures.render(DashboardFixtures.snapshot(), width: 120, height: 40, view: live)
        #expect(!b.text.contains("While replaying"))
    }
}

@Suite struct AsciiDashboardTests {
    @Test func everyNewScreenFallsBackToASCIIWithoutQuestionMarks() {
        let ok = LoginState(phase: .ok, at: Fixtures.now, expiresAt: Fixtures.now.addingTimeInterval(724))
        let same = [DashboardFixtures.cycle(1, passed: 22), DashboardFixtures.cycle(2, passed: 22, flips: [Flip(probe: "a", from: .pass, to: .fail)])]
        var views: [ViewState] = []
        var main = ViewState(); main.replay = ReplayStatus(cycle: 3, cycles: 12); views.append(main)
        var cycles = ViewState(); cycles.showCycles = true; views.append(cycles)
        for name in ["websocket_connection", "websocket_held", "chat_stream", "rate_limiting"] {
            var v = ViewState(); v.detail = name; views.append(v)
        }
        for snapshot in [DashboardFixtures.snapshot(login: ok), DashboardFixtures.snapshot(cycles: same)] {
            for v in views {
                let (b, _) = Fixtures.render(snapshot, width: 200, height: 60, view: v, renderer: Renderer(glyphs: .ascii))
                #expect(b.cells.allSatisfy { $0.grapheme.utf8.allSatisfy { $0 < 0x80 } })
                // "?" only where the help key is meant, never a glyph without a stand-in.
                let unexpected = b.lines.filter { $0.replacingOccurrences(of: "? help", with: "").contains("?") }
                #expect(unexpected.isEmpty, "\(unexpected)")
            }
        }
        let (b, _) = Fixtures.render(DashboardFixtures.snapshot(cycles: same), width: 120, height: 40, renderer: Renderer(glyphs: .ascii))
        #expect(b.line(0).contains("cycle 2  22/25 = from 22/25 (+0)"))
        let (m, _) = Fixtures.render(DashboardFixtures.snapshot(), width: 120, height: 40, renderer: Renderer(glyphs: .ascii))
        #expect(m.line(0).contains("22/25 ^ from 21/25 (+1)"))
        #expect(m.text.contains("[###"))  // watchdog meters keep their ends
    }
}
