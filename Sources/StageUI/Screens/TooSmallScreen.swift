/// Shown instead of everything else when the terminal is smaller than the layouts need.
/// Draws whatever fits, down to 1x1 and 0x0.
public struct TooSmallScreen: Widget {
    public var width: Int
    public var height: Int
    public var minWidth: Int
    public var minHeight: Int
    public var style: Style
    public var emphasis: Style

    public func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        let lines = [
            Line("terminal too small (need \(minWidth)x\(minHeight))", emphasis),
            Line("now \(width)x\(height): enlarge the window, or q to quit", style),
        ]
        let top = area.y + max(0, (area.height - lines.count) / 2)
        for (k, line) in lines.enumerated() where top + k < area.bottom {
            let x = area.x + max(0, (area.width - line.width) / 2)
            buffer.set(x: x, y: top + k, line: line, clip: area)
        }
    }
}
