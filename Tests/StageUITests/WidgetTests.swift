import Testing
@testable import StageUI

@Suite struct WidgetTests {
    @Test func tableTruncatesAlignsAndHighlights() {
        let cols = [TableColumn("NAME", .fixed(6)), TableColumn("MS", .fixed(5), align: .right)]
        let rows = [TableRow([.text("backend_health"), .text("82.7")]), TableRow([.text("ws"), .text("1")])]
        var b = Buffer(width: 12, height: 3)
        Table(columns: cols, rows: rows, selected: 1, headerStyle: Style(attrs: .bold)).render(into: &b, area: b.area)
        #expect(b.lines == ["NAME      MS ", "backe…  82.7 ", "ws         1 "].map { String($0.prefix(12)) })
        #expect(b[0, 0].style.attrs.contains(.bold))
        #expect(b[0, 2].style.attrs.contains(.reverse) && b[11, 2].style.attrs.contains(.reverse))
        #expect(!b[0, 1].style.attrs.contains(.reverse))
    }

    /// A `Column` carries its cell with its header: when a narrow table drops a column, its cells go with it.
    @Test func columnsAsDataDropTheirCellsWithTheirHeaders() {
        let cols: [Column<Int>] = [
            Column("N", .fixed(3), priority: 100) { .text("n\($0)") },
            Column("SPARE", .fixed(5), priority: 1) { .text("s\($0)") },
            Column("V", .fixed(3), align: .right, priority: 50) { .text("\($0 * 10)") },
        ]
        var wide = Buffer(width: 13, height: 2)
        Table(columns: cols.specs(), rows: [cols.row(7)]).render(into: &wide, area: wide.area)
        #expect(wide.lines == ["N   SPARE   V", "n7  s7     70"])
        var narrow = Buffer(width: 7, height: 2)
        Table(columns: cols.specs(), rows: [cols.row(7)]).render(into: &narrow, area: narrow.area)
        #expect(narrow.lines == ["N     V", "n7   70"])
    }

    @Test func tableGroupRowsSpanTheWidth() {
        var b = Buffer(width: 10, height: 2)
        Table(columns: [TableColumn("A", .fixed(3))], rows: [TableRow(group: Line("▾ grp"))], groupStyle: Style(fg: .ansi(4)))
            .render(into: &b, area: b.area)
        #expect(b.line(1) == "▾ grp     ")
        #expect(b[9, 1].style.fg == .ansi(4))
    }

    @Test func sparklineScalesToTheLargestValue() {
        var b = Buffer(width: 6, height: 1)
        Sparkline(values: [0, 50, 100, nil], levels: GlyphSet.unicode.spark, missing: "·").render(into: &b, area: b.area)
        #expect(b.line(0) == "  ▁▅█·") // right-aligned, newest last
        var a = Buffer(width: 3, height: 1)
        Sparkline(values: [0, 50, 100], levels: GlyphSet.ascii.spark, missing: " ").render(into: &a, area: a.area)
        #expect(a.line(0) == "_-^")
    }

    @Test func barsUseEighthBlocksAndStartOffsets() {
        var b = Buffer(width: 8, height: 1)
        Bar(length: 50, scale: 100, glyphs: .unicode, style: .plain).render(into: &b, area: b.area)
        #expect(b.line(0) == "████    ")
        Bar(start: 50, length: 25, scale: 100, glyphs: .unicode, style: .plain).render(into: &b, area: b.area)
        #expect(b.line(0) == "    ██  ")
        Bar(length: 1, scale: 100, glyphs: .unicode, style: .plain).render(into: &b, area: b.area)
        #expect(b.line(0) == "▏       ") // tiny but non-zero stays visible
        Bar(length: 50, scale: 100, glyphs: .ascii, style: .plain).render(into: &b, area: b.area)
        #expect(b.line(0) == "####    ")
    }

    @Test func hintBarDropsWholeHintsThatDoNotFit() {
        var b = Buffer(width: 14, height: 1)
        HintBar(hints: [.init(keys: "q", text: "quit"), .init(keys: "?", text: "help"), .init(keys: "/", text: "filter")],
                keyStyle: Style(attrs: .reverse), textStyle: .plain).render(into: &b, area: b.area)
        #expect(b.line(0) == "q quit ? help ")
        #expect(b[0, 0].style.attrs.contains(.reverse) && !b[1, 0].style.attrs.contains(.reverse))
    }

    @Test func headerBarDropsLowPriorityPiecesFirst() {
        let bar = HeaderBar(pieces: [
            .init(Line("important"), priority: 100), .init(Line("optional"), priority: 1), .init(Line("clock"), priority: 50, alignRight: true),
        ])
        var b = Buffer(width: 30, height: 1)
        bar.render(into: &b, area: b.area)
        #expect(b.line(0) == "important  optional      clock")
        var n = Buffer(width: 18, height: 1)
        bar.render(into: &n, area: n.area)
        #expect(n.line(0) == "important    clock")
    }

    @Test func blockDrawsBorderAndTitle() {
        var b = Buffer(width: 12, height: 3)
        let block = Block(title: "events", border: GlyphSet.unicode.border)
        block.render(into: &b, area: b.area)
        #expect(b.lines == ["┌ events ──┐", "│          │", "└──────────┘"])
        #expect(block.inner(b.area) == Rect(x: 1, y: 1, width: 10, height: 1))
    }

    @Test func logListShowsTheNewestLinesAtTheBottom() {
        var b = Buffer(width: 10, height: 2)
        LogList(lines: [Line("one"), Line("two"), Line("three and more")]).render(into: &b, area: b.area)
        #expect(b.lines == ["two       ", "three and…"])
    }
}
