import Foundation

/// A key press, decoded by the backend into something independent of ncurses.
public enum Key: Sendable, Hashable {
    case char(Character)
    case up, down, pageUp, pageDown, home, end
    /// Replay stepping (← back, → forward); the live dashboard does not use them.
    case left, right
    case enter, escape, backspace
    /// The terminal was resized; nothing to do but render again.
    case resize
    /// Timeout with no key (the loop's tick).
    case none

    /// How the key is written in the hint bar and help.
    public var label: String {
        switch self {
        case .char(" "): "Space"
        case .char(let c): String(c)
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .enter: "Enter"
        case .escape: "Esc"
        case .backspace: "Backspace"
        case .resize: "resize"
        case .none: ""
        }
    }
}

/// What a key does. The reducer interprets actions; the key map only says which key means which.
public enum Action: String, Sendable, Hashable, CaseIterable {
    case moveUp, moveDown, pageUp, pageDown, top, bottom
    case openDetail, back
    case rerunSelected, rerunAll, togglePause
    case startFilter, cycleSort, nextTheme, toggleHelp, quit
    /// `demo --timeline`: move the simulated staging to the next report's scenario now.
    case nextScenario
    /// The cycle view (one row per closed cycle).
    case toggleCycles
    // Filter typing mode.
    case filterApply, filterCancel, filterDelete
    // Replay mode (`KeyMap.replay`): each becomes a `ReplayCommand` for the app.
    case replayPause, replayStepForward, replayStepBack, replayPreviousCycle, replayNextCycle, replayFaster, replaySlower
}

/// One binding: key → action, with the words the hint bar and help show for it.
public struct KeyAction: Sendable, Hashable {
    public var key: Key
    /// The key as displayed ("↑", "PgDn", "q").
    public var label: String
    /// The sentence in the help overlay.
    public var description: String
    public var action: Action
    /// The short word in the hint bar; nil keeps the binding out of the bar (it is still in help).
    public var hint: String?

    public init(key: Key, label: String? = nil, description: String, action: Action, hint: String? = nil) {
        self.key = key; self.label = label ?? key.label; self.description = description; self.action = action; self.hint = hint
    }
}

/// The key bindings as data: the reducer looks keys up here, and the hint bar and `?` help are
/// generated from it, so they can never disagree with what the keys really do.
public struct KeyMap: Sendable, Hashable {
    /// Bindings in normal (main, detail, help) mode, in help order.
    public var bindings: [KeyAction]
    /// Bindings while typing a filter; every other printable key is text.
    public var filterBindings: [KeyAction]
    /// Bindings that exist only while replaying a recording (`ViewState.replay` set). They are looked up
    /// before `bindings`, so a replay key wins; the hint bar and help show them only in replay.
    public var replay: [KeyAction]

    public init(bindings: [KeyAction], filterBindings: [KeyAction], replay: [KeyAction] = KeyMap.replayBindings) {
        self.bindings = bindings; self.filterBindings = filterBindings; self.replay = replay
    }

    public func action(for key: Key) -> Action? { bindings.first { $0.key == key }?.action }
    public func filterAction(for key: Key) -> Action? { filterBindings.first { $0.key == key }?.action }
    public func replayAction(for key: Key) -> Action? { replay.first { $0.key == key }?.action }

    /// All bindings of one action ("↑" and "k" for moveUp).
    public func bindings(for action: Action) -> [KeyAction] {
        // Filtered list by list: the hint bar asks for a dozen actions every frame, and joining the three
        // lists first copied them all each time (perf).
        var out: [KeyAction] = []
        for list in [bindings, filterBindings, replay] { for b in list where b.action == action { out.append(b) } }
        return out
    }

    /// The labels of an action's keys joined for display: "↑/k" ("Up/k" when `ascii`).
    public func label(for action: Action, ascii: Bool = false) -> String {
        bindings(for: action).map { KeyMap.display($0.label, ascii: ascii) }.joined(separator: "/")
    }

    /// A key label as shown: arrows become words on terminals that cannot show them.
    public static func display(_ label: String, ascii: Bool) -> String {
        guard ascii else { return label }
        return label.replacingOccurrences(of: "↑", with: "Up").replacingOccurrences(of: "↓", with: "Down")
            .replacingOccurrences(of: "←", with: "Left").replacingOccurrences(of: "→", with: "Right")
    }

    /// The replay keys: space pause, ← → step, [ ] a whole cycle, + - speed.
    public static let replayBindings: [KeyAction] = [
        KeyAction(key: .char(" "), description: "Pause or resume playback", action: .replayPause, hint: "pause"),
        KeyAction(key: .right, description: "Step forward one event", action: .replayStepForward, hint: "step"),
        KeyAction(key: .left, description: "Step back one event", action: .replayStepBack),
        KeyAction(key: .char("["), description: "Seek to the previous cycle", action: .replayPreviousCycle, hint: "cycle"),
        KeyAction(key: .char("]"), description: "Seek to the next cycle", action: .replayNextCycle),
        KeyAction(key: .char("+"), description: "Play faster", action: .replayFaster, hint: "speed"),
        KeyAction(key: .char("-"), description: "Play slower", action: .replaySlower),
    ]

    /// The standard keys plus `n` (next scenario), for `demo --timeline`.
    public static var timeline: KeyMap {
        var map = standard
        let n = KeyAction(key: .char("n"), description: "Move the simulated staging to the next report's scenario", action: .nextScenario, hint: "next scenario")
        map.bindings.insert(n, at: map.bindings.firstIndex { $0.action == .nextTheme } ?? map.bindings.count)
        return map
    }

    public static let standard = KeyMap(
        bindings: [
            KeyAction(key: .up, description: "Move the selection up (scroll in detail)", action: .moveUp),
            KeyAction(key: .char("k"), description: "Move the selection up (scroll in detail)", action: .moveUp),
            KeyAction(key: .down, description: "Move the selection down (scroll in detail)", action: .moveDown, hint: "move"),
            KeyAction(key: .char("j"), description: "Move the selection down (scroll in detail)", action: .moveDown),
            KeyAction(key: .pageUp, description: "One page up", action: .pageUp),
            KeyAction(key: .pageDown, description: "One page down", action: .pageDown),
            KeyAction(key: .home, description: "First probe (top of detail)", action: .top),
            KeyAction(key: .end, description: "Last probe (end of detail)", action: .bottom),
            KeyAction(key: .enter, description: "Open the detail view of the selected probe", action: .openDetail, hint: "detail"),
            KeyAction(key: .escape, description: "Back: close help or detail, clear the filter", action: .back, hint: "back"),
            KeyAction(key: .char("r"), description: "Re-run the selected probe now", action: .rerunSelected, hint: "rerun"),
            KeyAction(key: .char("R"), description: "Re-run all probes now", action: .rerunAll, hint: "all"),
            KeyAction(key: .char("p"), description: "Pause or resume scheduled runs", action: .togglePause, hint: "pause"),
            KeyAction(key: .char("/"), description: "Filter by name, group or failure class", action: .startFilter, hint: "filter"),
            KeyAction(key: .char("s"), description: "Cycle the sort: status, name, latency, group", action: .cycleSort, hint: "sort"),
            KeyAction(key: .char("c"), description: "Show or hide the cycles: pass ratio, hangs, flips per cycle", action: .toggleCycles, hint: "cycles"),
            KeyAction(key: .char("t"), description: "Switch to the next theme", action: .nextTheme, hint: "theme"),
            KeyAction(key: .char("?"), description: "Show or hide this help", action: .toggleHelp, hint: "help"),
            KeyAction(key: .char("q"), description: "Quit", action: .quit, hint: "quit"),
        ],
        filterBindings: [
            KeyAction(key: .enter, description: "Apply the filter", action: .filterApply, hint: "apply"),
            KeyAction(key: .escape, description: "Cancel: keep the previous filter", action: .filterCancel, hint: "cancel"),
            KeyAction(key: .backspace, description: "Delete the last character", action: .filterDelete, hint: "delete"),
        ]
    )
}
