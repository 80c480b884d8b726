/// The `?` overlay: every binding of the key map with its description, generated from the same data
/// the reducer uses.
public struct HelpOverlay: Widget {
    public var keyMap: KeyMap
    public var glyphs: GlyphSet
    public var borderStyle: Style
    public var titleStyle: Style
    public var keyStyle: Style
    public var textStyle: Style
    public var labelStyle: Style
    /// List the replay keys too (only while replaying: they do nothing live).
    public var showReplay: Bool = false

    /// One line per action, keys joined ("↑/k  Move the selection up"), then the filter-typing keys,
    /// then (in replay) the replay keys.
    public func lines() -> [Line] {
        func section(_ bindings: [KeyAction]) -> [Line] {
            var seen: Set<Action> = []
            var out: [Line] = []
            let keyWidth = 12
            for b in bindings where !seen.contains(b.action) {
                seen.insert(b.action)
                let labels = bindings.filter { $0.action == b.action }.map { KeyMap.display($0.label, ascii: glyphs.asciiOnly) }.joined(separator: "/")
                out.append(Line([Span(" " + TextWidth.fit(labels, width: keyWidth), keyStyle), Span(" " + b.description, textStyle)]))
            }
            return out
        }
        var out = section(keyMap.bindings) + [Line(" While typing a filter (other keys are text):", labelStyle)] + section(keyMap.filterBindings)
        if showReplay { out += [Line(" While replaying a recording:", labelStyle)] + section(keyMap.replay) }
        return out
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        let content = lines()
        let widest = (content.map(\.width).max() ?? 0)
        // Too tall for the screen (replay adds its keys): two columns side by side, lines cut with an
        // ellipsis, rather than losing the last keys below the edge.
        let twoColumns = content.count + 2 > area.height && area.width >= 60
        let perColumn = twoColumns ? (content.count + 1) / 2 : content.count
        let columnWidth = twoColumns ? min(widest + 1, (area.width - 4) / 2) : widest + 1
        let w = min(area.width, (twoColumns ? 2 * columnWidth : widest) + 4)
        let h = min(area.height, perColumn + 2)
        let box = area.centered(width: w, height: h)
        guard !box.isEmpty else { return }
        buffer.fill(box, style: textStyle)
        let block = Block(title: "keys (Esc or ? to close)", border: glyphs.border, borderStyle: borderStyle, titleStyle: titleStyle)
        block.render(into: &buffer, area: box)
        let inner = block.inner(box).inset(left: 1)
        guard twoColumns else { Paragraph(content).render(into: &buffer, area: inner); return }
        for (k, line) in content.enumerated() {
            let column = k / perColumn, y = inner.y + k % perColumn
            let x = inner.x + column * columnWidth
            let clip = Rect(x: x, y: y, width: min(columnWidth - 1, inner.right - x), height: 1).intersection(inner)
            buffer.set(x: x, y: y, line: line, clip: clip, ellipsis: glyphs.ellipsis)
        }
    }
}
