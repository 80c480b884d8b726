import StageUI

/// Turns a `Color` into the number ncurses wants in a colour pair. Pure, so it is testable.
struct ColorNumbering: Sendable, Hashable {
    var depth: ColorDepth
    /// Direct-colour terminal: numbers are 0xRRGGBB, except 0–7 which the terminfo entry sends as
    /// the ANSI colours (`setaf` tests `%p1 < 8`).
    var direct: Bool
    /// `use_default_colors()` succeeded, so -1 means "the terminal's own colour".
    var defaultColors: Bool

    /// The ncurses colour number for a foreground (`foreground == true`) or background colour.
    /// nil and `.default` are the terminal's own colour (-1), or white on black without
    /// `use_default_colors`.
    func number(_ color: Color?, foreground: Bool) -> Int32 {
        let fallback: Int32 = defaultColors ? -1 : (foreground ? 7 : 0)
        guard let color, let mapped = color.mapped(to: depth) else { return fallback }
        switch mapped {
        case .default:
            return fallback
        case .ansi(let n), .indexed(let n):
            guard direct, n >= 8 else { return Int32(n) }
            return Self.packed(XtermPalette.rgb(index: Int(n)))
        case .rgb(let r, let g, let b):
            if direct { return Self.packed((Int(r), Int(g), Int(b))) }
            // Only reachable when `depth` claims truecolor on a palette terminal; `DepthDetection`
            // never does that, but a number >= COLORS would be refused, so map it down.
            guard case .indexed(let n)? = mapped.mapped(to: .c256) else { return fallback }
            return Int32(n)
        }
    }

    /// 0xRRGGBB, nudged up to 8 so a very dark colour is not taken for ANSI colour 0–7.
    static func packed(_ c: (r: Int, g: Int, b: Int)) -> Int32 {
        max(8, Int32(c.r << 16 | c.g << 8 | c.b))
    }
}

/// The xterm palette as RGB, needed only on direct-colour terminals where a 256-colour index has
/// to be sent as RGB.
// TODO(StageUI): `ColorMath.rgb(ofIndex:)` in StageUI/Theme/ColorDepth.swift computes the same but is
// internal; once it (or a `Color.rgb` accessor) is public, use it and delete this.
enum XtermPalette {
    static let base16: [(r: Int, g: Int, b: Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]
    static let cubeLevels = [0, 95, 135, 175, 215, 255]

    static func rgb(index n: Int) -> (r: Int, g: Int, b: Int) {
        if n < 16 { return base16[max(0, n)] }
        if n >= 232 { let v = 8 + (n - 232) * 10; return (v, v, v) }
        let i = n - 16
        return (cubeLevels[i / 36], cubeLevels[(i / 6) % 6], cubeLevels[i % 6])
    }
}
