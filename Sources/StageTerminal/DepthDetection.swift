import StageUI

/// What the terminal description says about colour, read once after `newterm`.
/// Kept apart from ncurses so the depth rules can be tested with made-up terminals.
public struct ColorCapabilities: Sendable, Hashable {
    /// terminfo `colors` (`tigetnum`); -1 or -2 when absent, 2^24 on direct-colour entries.
    public var colors: Int
    /// `has_colors()`: the terminal can set colours at all.
    public var hasColors: Bool
    /// `can_change_color()`: the palette can be redefined (not used for drawing; see `detect`).
    public var canChangeColor: Bool
    /// The entry is direct colour (terminfo `RGB`, e.g. `xterm-direct`): colour numbers are 0xRRGGBB.
    public var directColor: Bool

    public init(colors: Int, hasColors: Bool = true, canChangeColor: Bool = false, directColor: Bool = false) {
        self.colors = colors; self.hasColors = hasColors
        self.canChangeColor = canChangeColor; self.directColor = directColor
    }
}

/// Picks the colour depth from the environment and the terminal description.
public enum DepthDetection {
    /// `NO_COLOR` counts when present and not empty (no-color.org).
    public static func noColorRequested(in environment: [String: String]) -> Bool {
        guard let v = environment["NO_COLOR"] else { return false }
        return !v.isEmpty
    }

    /// The best depth the terminal can really show:
    /// - `NO_COLOR` or `noColor` (`--theme mono`) → mono; no colours at all → mono;
    /// - a direct-colour entry → truecolor: its colour numbers are RGB, so 256-colour indexes beyond
    ///   the first 8 cannot be used and truecolor is the only honest answer;
    /// - `COLORTERM=truecolor|24bit` with 256 colours but no direct colour → c256. ncurses can only
    ///   reach RGB there by redefining palette entries (`init_extended_color`), which repaints other
    ///   programs' colours on the user's terminal and runs out after 256 shades, so we do not;
    /// - then `ColorDepth(colors:)`: >= 256 → c256, >= 16 → ansi16, >= 8 → ansi8, else mono.
    public static func detect(environment: [String: String], capabilities caps: ColorCapabilities,
                              noColor: Bool = false) -> ColorDepth {
        if noColor || noColorRequested(in: environment) || !caps.hasColors { return .mono }
        if caps.directColor { return .truecolor }
        let depth = ColorDepth(colors: caps.colors, colorterm: environment["COLORTERM"])
        return depth == .truecolor ? .c256 : depth
    }

    /// A requested depth (a CLI flag) never goes beyond what the terminal can show: ncurses refuses
    /// colour numbers >= COLORS, so asking for more would only lose colours.
    public static func capped(_ requested: ColorDepth, to capable: ColorDepth) -> ColorDepth {
        rank(requested) <= rank(capable) ? requested : capable
    }

    static func rank(_ d: ColorDepth) -> Int { ColorDepth.allCases.firstIndex(of: d) ?? 0 }
}

extension DepthDetection {
    /// The most the terminal itself can show, whatever the environment says.
    public static func capable(_ caps: ColorCapabilities) -> ColorDepth {
        if !caps.hasColors { return .mono }
        if caps.directColor { return .truecolor }
        return ColorDepth(colors: caps.colors)
    }

    /// The depth a `Terminal` uses: `noColor` (`--theme mono`) wins; an explicit request (a CLI flag)
    /// overrides `NO_COLOR` (as no-color.org asks) but is capped to what the terminal can show;
    /// otherwise `detect`.
    public static func resolve(requested: ColorDepth?, environment: [String: String],
                               capabilities caps: ColorCapabilities, noColor: Bool) -> ColorDepth {
        if noColor { return .mono }
        if let requested { return capped(requested, to: capable(caps)) }
        return detect(environment: environment, capabilities: caps)
    }
}
