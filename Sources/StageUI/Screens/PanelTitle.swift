/// The top edge of a stacked pane: `── closes  1008×2 1011×5 ──────`. The title is followed by a
/// styled summary, so a pane squeezed to this one line still says what matters.
struct PanelTitle {
    let r: Renderer
    var title: String
    var summary: Line
    /// The border style (focus when the pane shows something alarming is up to the caller).
    var borderStyle: Style

    func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        let row = area.row(0)
        Block(title: title, border: r.glyphs.border, borderStyle: borderStyle, titleStyle: r.style(.detailLabel), topOnly: true)
            .render(into: &buffer, area: row)
        guard !summary.spans.isEmpty, row.width > TextWidth.of(title) + 8 else { return }
        let x = row.x + 1 + TextWidth.of(title) + 2
        var line = summary
        line.append(" ", r.style(.text))
        // Leave two border cells at the right so the pane edge stays visible.
        buffer.set(x: x, y: row.y, line: line, clip: Rect(x: x, y: row.y, width: row.right - 2 - x, height: 1), ellipsis: r.glyphs.ellipsis)
    }
}
