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

    /// One line per action, keys joined ("↑/k  Move the selection up"), then the filter-typing keys.
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
        return section(keyMap.bindings) + [Line(" While typing a filter (other keys are text):", labelStyle)] + section(keyMap.filterBindings)
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        let content = lines()
        let w = min(area.width, (content.map(\.width).max() ?? 0) + 4)
        let h = min(area.height, content.count + 2)
        let box = area.centered(width: w, height: h)
        guard !box.isEmpty else { return }
        buffer.fill(box, style: textStyle)
        let block = Block(title: "keys (Esc or ? to close)", border: glyphs.border, borderStyle: borderStyle, titleStyle: titleStyle)
        block.render(into: &buffer, area: box)
        Paragraph(content).render(into: &buffer, area: block.inner(box).inset(left: 1))
    }
}
