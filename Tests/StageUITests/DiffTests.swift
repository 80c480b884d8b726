import Testing
@testable import StageUI

@Suite struct DiffTests {
    func buffer(_ rows: [String]) -> Buffer {
        var b = Buffer(width: rows.map(TextWidth.of).max() ?? 0, height: rows.count)
        for (y, r) in rows.enumerated() { b.set(x: 0, y: y, r, style: .plain) }
        return b
    }

    @Test func identicalBuffersHaveNoRuns() {
        let a = buffer(["hello", "world"])
        #expect(a.diff(from: a).isEmpty)
    }

    @Test func oneChangedCellIsOneRunOfOneCell() {
        let a = buffer(["hello", "world"])
        var b = a
        b.set(x: 2, y: 1, "X", style: .plain)
        let runs = b.diff(from: a)
        #expect(runs.count == 1)
        #expect(runs[0].x == 2 && runs[0].y == 1 && runs[0].cells.count == 1 && runs[0].text == "X")
    }

    @Test func aStyleChangeIsAChange() {
        let a = buffer(["hello"])
        var b = a
        b.patch(Rect(x: 1, y: 0, width: 2, height: 1), style: Style(attrs: .bold))
        let runs = b.diff(from: a)
        #expect(runs.map(\.x) == [1] && runs[0].cells.count == 2)
    }

    @Test func separateChangesAreSeparateRuns() {
        let a = buffer(["abcdefgh"])
        var b = a
        b.set(x: 0, y: 0, "X", style: .plain)
        b.set(x: 5, y: 0, "YZ", style: .plain)
        let runs = b.diff(from: a)
        #expect(runs.map(\.x) == [0, 5])
        #expect(runs.map(\.text) == ["X", "YZ"])
    }

    @Test func runsCoverBothHalvesOfAWideCharacter() {
        let a = buffer(["abcdef"])
        var b = a
        b.set(x: 2, y: 0, "日", style: .plain)
        let runs = b.diff(from: a)
        #expect(runs.count == 1)
        #expect(runs[0].x == 2 && runs[0].cells.count == 2 && runs[0].text == "日")
    }

    @Test func aRunNeverStartsOnAContinuationCell() {
        // Only the trailing half differs in style: the run must start at the leader so the backend can draw it.
        var a = Buffer(width: 4, height: 1)
        a.set(x: 0, y: 0, "日", style: .plain)
        var b = a
        b.patch(Rect(x: 1, y: 0, width: 1, height: 1), style: Style(attrs: .bold))
        let runs = b.diff(from: a)
        #expect(runs.count == 1 && runs[0].x == 0 && !runs[0].cells[0].isContinuation)
    }

    @Test func aResizeRepaintsEveryRow() {
        let a = buffer(["abc"])
        let b = buffer(["abcd", "efgh"])
        let runs = b.diff(from: a)
        #expect(runs.count == 2 && runs.allSatisfy { $0.x == 0 && $0.cells.count == 4 })
        #expect(Buffer(width: 0, height: 0).diff(from: a).isEmpty)
    }

    @Test func steadyStateFrameChangesLittle() {
        // Same snapshot one second later: only the clock, uptime and ages change.
        let s1 = Fixtures.p1()
        var s2 = s1
        s2.takenAt = s1.takenAt.addingTimeInterval(1)
        let (f1, _) = Fixtures.render(s1, width: 120, height: 40)
        let (f2, _) = Fixtures.render(s2, width: 120, height: 40)
        let runs = f2.diff(from: f1)
        #expect(!runs.isEmpty)
        #expect(Double(runs.byteCount) / Double(f2.byteCount) < 0.05)
        #expect(runs.contains { $0.y == 0 }) // the clock
    }
}
