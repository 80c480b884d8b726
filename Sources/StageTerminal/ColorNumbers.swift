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
            // The palette is StageUI's (Theme/ColorDepth.swift), the one its colour mapping uses.
            return Self.packed(Color.xtermRGB(index: Int(n)))
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
