/// How many colours the terminal can show. The backend picks it (ncurses `COLORS`, `COLORTERM`,
/// `NO_COLOR` → `.mono`); `Theme.resolved(for:)` maps every colour down to it.
public enum ColorDepth: String, Sendable, Hashable, CaseIterable {
    case mono, ansi8, ansi16, c256, truecolor

    /// A reasonable choice from what ncurses and the environment report. `noColor` is `NO_COLOR` being set.
    public init(colors: Int, colorterm: String? = nil, noColor: Bool = false) {
        if noColor || colors < 8 { self = .mono; return }
        if let ct = colorterm?.lowercased(), ct == "truecolor" || ct == "24bit", colors >= 256 { self = .truecolor; return }
        self = colors >= 256 ? .c256 : colors >= 16 ? .ansi16 : .ansi8
    }
}

/// RGB arithmetic for mapping colours down; xterm's default palette stands in for "what ANSI n looks like".
enum ColorMath {
    typealias RGB = (r: Int, g: Int, b: Int)

    static let xterm16: [RGB] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]
    static let cubeLevels = [0, 95, 135, 175, 215, 255]

    static func rgb(ofIndex n: Int) -> RGB {
        if n < 16 { return xterm16[n] }
        if n >= 232 { let v = 8 + (n - 232) * 10; return (v, v, v) }
        let i = n - 16
        return (cubeLevels[i / 36], cubeLevels[(i / 6) % 6], cubeLevels[i % 6])
    }

    /// "Redmean" weighted distance: cheap and much closer to perception than plain RGB distance.
    static func distance(_ a: RGB, _ b: RGB) -> Int {
        let rm = (a.r + b.r) / 2
        let dr = a.r - b.r, dg = a.g - b.g, db = a.b - b.b
        // Parenthesised: in Swift `>>` binds tighter than `*`.
        return (((512 + rm) * dr * dr) >> 8) + 4 * dg * dg + (((767 - rm) * db * db) >> 8)
    }

    static func nearestLevel(_ v: Int) -> Int {
        var best = 0
        for (i, l) in cubeLevels.enumerated() where abs(l - v) < abs(cubeLevels[best] - v) { best = i }
        return best
    }

    /// Nearest entry of the xterm 6x6x6 cube or grey ramp (16–255). The 16 base colours are left out
    /// because terminals redefine them.
    static func nearest256(_ c: RGB) -> Int {
        let ri = nearestLevel(c.r), gi = nearestLevel(c.g), bi = nearestLevel(c.b)
        let cube = 16 + 36 * ri + 6 * gi + bi
        let avg = (c.r + c.g + c.b) / 3
        let gi2 = max(0, min(23, (avg - 3) / 10))
        let grey = 232 + gi2
        return distance(c, rgb(ofIndex: cube)) <= distance(c, rgb(ofIndex: grey)) ? cube : grey
    }

    /// Nearest of the first `count` (8 or 16) ANSI colours. Near-greys only consider the greys
    /// (black, bright-black, white, bright-white): a grey must not turn into a hue such as cyan.
    static func nearestBase(_ c: RGB, count: Int) -> Int {
        var best = 0
        var bestD = Int.max
        let isGrey = max(c.r, c.g, c.b) - min(c.r, c.g, c.b) < 32
        let candidates = isGrey ? [0, 7, 8, 15].filter { $0 < count } : Array(0..<count)
        for i in candidates {
            let d = distance(c, xterm16[i])
            if d < bestD { bestD = d; best = i }
        }
        return best
    }
}

extension Color {
    /// The colour as the terminal at `depth` can show it; nil at `.mono` (no colour at all).
    public func mapped(to depth: ColorDepth) -> Color? {
        switch (depth, self) {
        case (.mono, _): return nil
        case (_, .default): return .default
        case (.truecolor, _): return self
        case (.c256, .rgb(let r, let g, let b)): return .indexed(UInt8(ColorMath.nearest256((Int(r), Int(g), Int(b)))))
        case (.c256, _): return self
        case (.ansi16, .ansi): return self
        case (.ansi16, .indexed(let n)): return n < 16 ? .ansi(n) : .ansi(UInt8(ColorMath.nearestBase(ColorMath.rgb(ofIndex: Int(n)), count: 16)))
        case (.ansi16, .rgb(let r, let g, let b)): return .ansi(UInt8(ColorMath.nearestBase((Int(r), Int(g), Int(b)), count: 16)))
        // Bright colours go to their nearest base colour (bright-black becomes white, not invisible black).
        case (.ansi8, .ansi(let n)), (.ansi8, .indexed(let n)):
            return n < 8 ? .ansi(n) : .ansi(UInt8(ColorMath.nearestBase(ColorMath.rgb(ofIndex: Int(n)), count: 8)))
        case (.ansi8, .rgb(let r, let g, let b)): return .ansi(UInt8(ColorMath.nearestBase((Int(r), Int(g), Int(b)), count: 8)))
        }
    }
}

extension Style {
    /// The style at `depth`. At `.mono` colours go and attributes stay; a style that relied on a
    /// background colour (a badge, the selection bar) gets `reverse` so it still stands out.
    public func mapped(to depth: ColorDepth) -> Style {
        guard depth == .mono else { return Style(fg: fg?.mapped(to: depth), bg: bg?.mapped(to: depth), attrs: attrs) }
        var a = attrs
        if let bg, bg != .default { a.insert(.reverse) }
        return Style(fg: nil, bg: nil, attrs: a)
    }
}

extension Color {
    /// RGB of an xterm 256-colour index (0–15 from xterm's default palette, then the 6x6x6 cube and
    /// the grey ramp). For backends that must send an indexed colour as RGB.
    public static func xtermRGB(index: Int) -> (r: Int, g: Int, b: Int) {
        ColorMath.rgb(ofIndex: min(255, max(0, index)))
    }

    /// This colour as RGB: exact for `.rgb`, xterm's default palette for `.ansi` and `.indexed`,
    /// nil for `.default` (the terminal's own colour has no RGB we could know).
    public var rgbComponents: (r: Int, g: Int, b: Int)? {
        switch self {
        case .default: nil
        case .ansi(let n), .indexed(let n): ColorMath.rgb(ofIndex: Int(n))
        case .rgb(let r, let g, let b): (Int(r), Int(g), Int(b))
        }
    }
}
