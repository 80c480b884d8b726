/// The key-hint line at the bottom (screens build the hints from the key map): "q quit  ? help  / filter …".
/// Hints that do not fit are dropped from the end, whole, never cut in half.
public struct HintBar: Widget {
    public struct Hint: Sendable, Hashable {
        public var keys: String
        public var text: String
        public init(keys: String, text: String) { self.keys = keys; self.text = text }
    }

    /// Text shown before the hints (the filter being typed).
    public var prefix: Line
    public var hints: [Hint]
    public var keyStyle: Style
    public var textStyle: Style

    public init(prefix: Line = Line(), hints: [Hint], keyStyle: Style, textStyle: Style) {
        self.prefix = prefix; self.hints = hints; self.keyStyle = keyStyle; self.textStyle = textStyle
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        let row = area.row(0)
        buffer.fill(row, style: textStyle)
        var x = buffer.set(x: row.x, y: row.y, line: prefix, clip: row)
        for h in hints {
            let w = TextWidth.of(h.keys) + 1 + TextWidth.of(h.text) + 1
            guard x + w <= row.right else { break }
            x = buffer.set(x: x, y: row.y, h.keys, style: keyStyle, clip: row)
            x = buffer.set(x: x, y: row.y, " " + h.text + " ", style: textStyle, clip: row)
        }
    }
}
