import Foundation
import Testing
import StageModel
@testable import StageUI

@Suite struct WatchdogPanelTests {
    let theme = Theme.builtinDefault.resolved(for: .truecolor)

    func streamLine(_ b: Buffer, _ probe: String) -> (String, Int)? {
        // The pane's line starts with the probe name (the table row starts with a status glyph).
        guard let y = (0..<b.height).first(where: { b.line($0).hasPrefix(" " + probe + " ") }) else { return nil }
        return (b.line(y), y)
    }

    func filled(_ s: String) -> Int { s.filter { "█▉▊▋▌▍▎▏".contains($0) && $0 != "▏" }.count }

    @Test func metersMoveBetweenSnapshotsWithoutAClock() throws {
        for (w, h) in [(80, 24), (120, 40)] {
            let (b0, _) = Fixtures.render(DashboardFixtures.snapshot(), width: w, height: h)
            let (b1, _) = Fixtures.render(DashboardFixtures.snapshot(takenAt: Fixtures.now.addingTimeInterval(0.5)), width: w, height: h)
            let (l0, _) = (try #require(streamLine(b0, "chat_stream")))
            let (l1, _) = (try #require(streamLine(b1, "chat_stream")))
            #expect(l0.contains("first byte") && l0.contains("4.2s/5.0s"), "\(l0)")
            #expect(l1.contains("4.7s/5.0s"), "\(l1)")
            #expect(l0 != l1)
            let bar0 = String(l0[(try #require(l0.range(of: "▕"))).upperBound..<(try #require(l0.range(of: "▏ "))).lowerBound])
            let bar1 = String(l1[(try #require(l1.range(of: "▕"))).upperBound..<(try #require(l1.range(of: "▏ "))).lowerBound])
            #expect(bar0.count == bar1.count && bar0 != bar1, "\(bar0) → \(bar1)")
            #expect(bar1.filter { $0 == "█" }.count >= bar0.filter { $0 == "█" }.count)
            // The streaming one measures the gap since its last data against max_gap.
            let (e0, _) = (try #require(streamLine(b0, "events_stream")))
            #expect(e0.contains("gap") && e0.contains("6.0s/10.0s") && e0.contains("14.0s/1m00s"), "\(e0)")
        }
    }

    @Test func meterStylesWarnNearTheLimitAndHangPastIt() throws {
        let (b0, _) = Fixtures.render(DashboardFixtures.snapshot(), width: 120, height: 40)
        let (l0, y0) = (try #require(streamLine(b0, "chat_stream")))
        let x0 = TextWidth.of(String(l0[..<(try #require(l0.range(of: "4.2s/5.0s"))).lowerBound]))
        #expect(b0[x0, y0].style == theme[.latencyWarn]) // 84 % of the limit
        let (b1, _) = Fixtures.render(DashboardFixtures.snapshot(takenAt: Fixtures.now.addingTimeInterval(1.1)), width: 120, height: 40)
        let (l1, y1) = (try #require(streamLine(b1, "chat_stream")))
        #expect(l1.contains("5.3s/5.0s over"), "\(l1)")
        let x1 = TextWidth.of(String(l1[..<(try #require(l1.range(of: "5.3s/5.0s"))).lowerBound]))
        #expect(b1[x1, y1].style.fg == theme[.statusHang].fg)
        #expect(b1[1, y1].style.fg == theme[.statusHang].fg) // the name too
        #expect(b1.text.contains("watchdogs 2 running · 1 past a limit · 2 fired"))
    }

    @Test func firedWatchdogsNewestFirstWithTheirMessageAndLateness() throws {
        let (b, _) = Fixtures.render(DashboardFixtures.snapshot(), width: 120, height: 40)
        let newest = Fixtures.row(b, "11:24:14 chat_stream             max_gap no data for 10.0 s after 3 events, 412 B (fired 12.0ms late)")
        let older = Fixtures.row(b, "11:23:14 critical_event_delivery first_byte_within no first byte within 5.0 s")
        #expect(newest != nil && older != nil && newest! < older!)
        let pos = (try #require(b.find("max_gap no data")))
        #expect(b[pos.x, pos.y].style == theme[.statusHang])
        let (n, _) = Fixtures.render(DashboardFixtures.snapshot(), width: 80, height: 24)
        #expect(n.text.contains("11:24:14 chat_stream          max_gap no data for 10.0 s after 3 events, 412 …"))
    }

    @Test func meterArithmeticComesFromTakenAt() {
        let p = DashboardFixtures.streams()[1]
        let m = p.meters(now: Fixtures.now)
        #expect(m.map(\.phase) == [.gap, .total])
        #expect(m[0].elapsedMs == 6000 && m[0].limitMs == 10_000 && !m[0].isOver)
        #expect(p.overLimit(now: Fixtures.now.addingTimeInterval(4.5))?.phase == .gap)
        let waiting = StreamProgress(probe: "x", startedAt: Fixtures.now, firstByteWithinMs: nil)
        #expect(waiting.meters(now: Fixtures.now.addingTimeInterval(2)).map(\.figures) == ["2.0s", "2.0s"])
    }

    /// The probe's watchdog fires on max_gap before the first byte when first_byte_within is not set
    /// (StageProbes/StreamWatchdog.swift, `Limits.maxGap`); the panel must show that limit running.
    @Test func aMaxGapOnlyStreamShowsMaxGapWhileWaitingForTheFirstByte() throws {
        let gapOnly = StreamProgress(probe: "gap_only_stream", startedAt: DashboardFixtures.ago(2), maxGapMs: 10_000)
        for (w, h) in [(80, 24), (120, 40)] {
            let (b, _) = Fixtures.render(DashboardFixtures.snapshot(streams: [gapOnly], watchdogs: []), width: w, height: h)
            let (line, _) = try #require(streamLine(b, "gap_only_stream"))
            #expect(line.contains("first byte") && line.contains("2.0s/10.0s"), "\(line)")
        }
        let phase = try #require(gapOnly.meters(now: Fixtures.now).first)
        #expect(phase.phase == .firstByte && phase.limit == .maxGap && phase.limitMs == 10_000)
        // Past it, the stream is overdue before the verdict arrives, as the watchdog is about to fire.
        let (late, _) = Fixtures.render(DashboardFixtures.snapshot(takenAt: Fixtures.now.addingTimeInterval(8.5), streams: [gapOnly], watchdogs: []),
                                        width: 120, height: 40)
        #expect(late.text.contains("10.5s/10.0s over") && late.text.contains("1 past a limit"))
        // first_byte_within, when set, is the limit before the first byte; max_gap takes over after it.
        let both = StreamProgress(probe: "s", startedAt: Fixtures.now, firstByteWithinMs: 5000, maxGapMs: 10_000)
        #expect(both.meters(now: Fixtures.now).first?.limit == .firstByte)
        var flowing = both
        flowing.firstByteAt = Fixtures.now
        #expect(flowing.meters(now: Fixtures.now).first?.limit == .maxGap)
    }

    @Test func hiddenWithoutStreamsOrFires() {
        let (b, _) = Fixtures.render(DashboardFixtures.snapshot(streams: [], watchdogs: []), width: 120, height: 40)
        #expect(Fixtures.row(b, "watchdogs") == nil)
        let (only, _) = Fixtures.render(DashboardFixtures.snapshot(streams: []), width: 120, height: 40)
        #expect(only.text.contains("watchdogs 0 running · 2 fired"))
    }
}
