/// A horizontal bar: `length` of `scale`, starting at `start` of `scale` (a waterfall segment when
/// `start` > 0, a plain gauge when 0). Partial cells use eighth blocks when the glyph set has them.
public struct Bar: Widget {
    public var start: Double
    public var length: Double
    public var scale: Double
    public var full: String
    public var partial: [String]
    public var empty: String
    public var style: Style
    public var emptyStyle: Style

    public init(start: Double = 0, length: Double, scale: Double, glyphs: GlyphSet, style: Style, emptyStyle: Style = .plain) {
        self.start = start; self.length = length; self.scale = scale
        full = glyphs.barFull; partial = glyphs.barPartial; empty = glyphs.barEmpty
        self.style = style; self.emptyStyle = emptyStyle
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        let w = Double(area.width)
        let s = scale > 0 && start.isFinite ? max(0, min(1, start / scale)) : 0
        let l = scale > 0 && length.isFinite ? max(0, min(1 - s, length / scale)) : 0
        let steps = partial.count + 1
        let from = Int((s * w).rounded(.down))
        // In eighths (or whole cells without partial glyphs); any non-zero length shows at least one step.
        var units = Int((l * w * Double(steps)).rounded())
        if l > 0 && units == 0 { units = 1 }
        buffer.set(x: area.x, y: area.y, String(repeating: empty, count: area.width), style: emptyStyle, clip: area)
        var x = area.x + from
        while units >= steps && x < area.right {
            buffer.set(x: x, y: area.y, full, style: style, clip: area); x += 1; units -= steps
        }
        if units > 0 && x < area.right && !partial.isEmpty {
            buffer.set(x: x, y: area.y, partial[units - 1], style: style, clip: area)
        }
    }
}
