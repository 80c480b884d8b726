/// A named mapping from roles to styles. Roles a theme file leaves out fall back to the built-in default.
public struct Theme: Sendable, Equatable {
    public var name: String
    /// Roles this theme sets itself.
    public var styles: [Role: Style]

    public init(name: String, styles: [Role: Style]) {
        self.name = name; self.styles = styles
    }

    public subscript(role: Role) -> Style {
        styles[role] ?? Theme.builtinDefault.styles[role] ?? .plain
    }

    /// Every role filled in (fallbacks applied) and every colour mapped to what `depth` can show.
    /// Renderers take resolved themes, so a frame never maps a colour.
    public func resolved(for depth: ColorDepth) -> Theme {
        var out: [Role: Style] = [:]
        for role in Role.allCases { out[role] = self[role].mapped(to: depth) }
        return Theme(name: name, styles: out)
    }

    /// The default theme, built in so stagetop works with no theme files at all. It uses the 16 ANSI
    /// colours so it follows the user's terminal palette. `themes/default.theme` is the same theme as a file.
    public static let builtinDefault: Theme = {
        func s(_ fg: Color? = nil, _ bg: Color? = nil, _ attrs: Attributes = []) -> Style { Style(fg: fg, bg: bg, attrs: attrs) }
        let black = Color.ansi(0), red = Color.ansi(1), green = Color.ansi(2), yellow = Color.ansi(3)
        let blue = Color.ansi(4), magenta = Color.ansi(5), cyan = Color.ansi(6), grey = Color.ansi(8)
        return Theme(name: "default", styles: [
            .statusPass: s(green), .statusFail: s(red, nil, .bold), .statusHang: s(magenta, nil, .bold),
            .statusError: s(yellow, nil, .bold), .statusSkip: s(grey), .statusPending: s(cyan),
            .latencyGood: s(green), .latencyWarn: s(yellow), .latencyBad: s(red, nil, .bold),
            .tableHeader: s(nil, nil, [.bold, .underline]), .tableSelected: s(nil, nil, .reverse),
            .tableGroup: s(blue, nil, .bold), .border: s(grey), .borderFocus: s(cyan),
            .headerTitle: s(nil, nil, .bold), .headerBadgeWarn: s(black, yellow, .bold), .headerBadgeInfo: s(black, cyan, .bold),
            .headerBadgeReplay: s(black, magenta, .bold), .bannerFail: s(Color.ansi(15), red, .bold),
            .logTime: s(grey), .logPass: s(green), .logFail: s(red, nil, .bold),
            .hintKey: s(black, cyan), .hintText: s(),
            .closecodePolicy: s(yellow, nil, .bold), .closecodeInternal: s(red, nil, .bold), .closecodeNormal: s(green),
            .detailLabel: s(cyan, nil, .bold), .gaugeFill: s(green), .text: s(), .textDim: s(nil, nil, .dim),
        ])
    }()
}
