/// A one-row chart of recent values, newest at the right. Each point may carry its own style (the
/// verdict's colour); a nil value (a run with no latency, like a hang) is drawn as `missing`.
public struct Sparkline: Widget {
    public var values: [Double?]
    public var styles: [Style]
    public var levels: [String]
    public var missing: String
    /// Values are scaled from 0 to this (default: the largest shown).
    public var maxValue: Double?

    public init(values: [Double?], styles: [Style] = [], levels: [String], missing: String, maxValue: Double? = nil) {
        self.values = values; self.styles = styles; self.levels = levels; self.missing = missing; self.maxValue = maxValue
    }

    /// The level index (0..<levels.count) for a value.
    public static func level(_ v: Double, max m: Double, levels: Int) -> Int {
        guard m > 0, v.isFinite, levels > 0 else { return 0 }
        return min(levels - 1, max(0, Int((v / m * Double(levels - 1)).rounded())))
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty, !levels.isEmpty else { return }
        let shown = values.suffix(area.width)
        let styleShown = styles.count == values.count ? Array(styles.suffix(area.width)) : []
        let m = maxValue ?? shown.compactMap { $0 }.max() ?? 0
        let start = area.right - shown.count
        for (k, v) in shown.enumerated() {
            let g = v.map { levels[Sparkline.level($0, max: m, levels: levels.count)] } ?? missing
            buffer.set(x: start + k, y: area.y, g, style: styleShown.isEmpty ? .plain : styleShown[k], clip: area)
        }
    }
}
