/// A bordered box with a title in the top edge. `inner(_:)` is the area left for content.
public struct Block: Widget {
    public var title: String
    public var border: BorderGlyphs
    public var borderStyle: Style
    public var titleStyle: Style
    /// Draw only the top edge (with the title): used for panes stacked full-width, saving two columns.
    public var topOnly: Bool

    public init(title: String = "", border: BorderGlyphs, borderStyle: Style = .plain, titleStyle: Style = .plain, topOnly: Bool = false) {
        self.title = title; self.border = border; self.borderStyle = borderStyle; self.titleStyle = titleStyle; self.topOnly = topOnly
    }

    public func inner(_ area: Rect) -> Rect {
        topOnly ? area.inset(top: 1) : area.inset(by: 1)
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        let b = border
        let h = String(repeating: b.horizontal, count: area.width)
        buffer.set(x: area.x, y: area.y, h, style: borderStyle, clip: area)
        if !topOnly {
            if area.height > 1 { buffer.set(x: area.x, y: area.bottom - 1, h, style: borderStyle, clip: area) }
            for yy in area.y..<area.bottom {
                buffer.set(x: area.x, y: yy, b.vertical, style: borderStyle, clip: area)
                if area.width > 1 { buffer.set(x: area.right - 1, y: yy, b.vertical, style: borderStyle, clip: area) }
            }
            buffer.set(x: area.x, y: area.y, b.topLeft, style: borderStyle, clip: area)
            if area.width > 1 { buffer.set(x: area.right - 1, y: area.y, b.topRight, style: borderStyle, clip: area) }
            if area.height > 1 {
                buffer.set(x: area.x, y: area.bottom - 1, b.bottomLeft, style: borderStyle, clip: area)
                if area.width > 1 { buffer.set(x: area.right - 1, y: area.bottom - 1, b.bottomRight, style: borderStyle, clip: area) }
            }
        }
        if !title.isEmpty, area.width > 4 {
            let t = " " + TextWidth.truncate(title, to: area.width - 4) + " "
            buffer.set(x: area.x + 1, y: area.y, t, style: titleStyle, clip: area)
        }
    }
}
