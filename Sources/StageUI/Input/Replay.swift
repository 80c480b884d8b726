import StageModel

/// Where a replay is, as the app tells the renderer: the badge reads `REPLAY 1.0× cycle 3/12`.
public struct ReplayStatus: Sendable, Hashable {
    /// The cycle being shown (1-based) and how many the recording has.
    public var cycle: Int
    public var cycles: Int
    /// Playback speed: 1 is real time, 2 twice as fast.
    public var speed: Double
    public var paused: Bool

    public init(cycle: Int, cycles: Int, speed: Double = 1, paused: Bool = false) {
        self.cycle = cycle; self.cycles = cycles; self.speed = speed; self.paused = paused
    }

    /// `REPLAY 1.0× cycle 3/12`, `REPLAY paused cycle 3/12`.
    public var badge: String {
        "REPLAY " + (paused ? "paused" : ReplayStatus.speedText(speed)) + " cycle \(cycle)/\(cycles)"
    }

    /// `0.5×`, `1.0×`, `16×`: one decimal below 10, whole numbers above.
    public static func speedText(_ speed: Double) -> String {
        let s = speed.isFinite ? max(0, speed) : 0
        return (s < 9.95 ? Format.fixed(s, decimals: 1) : Format.fixed(s, decimals: 0)) + "×"
    }
}

/// What a replay key asks the app to do. Kept apart from `Command` so the live dashboard's handling of
/// `Command` stays exhaustive and unchanged; the replay player handles these.
public enum ReplayCommand: Sendable, Hashable {
    case togglePause
    case stepForward, stepBack
    case previousCycle, nextCycle
    case faster, slower
}

/// Applies a key in replay mode. Returns the replay command for a replay key (looked up in
/// `keyMap.replay`), or nil when the key is not a replay key, the view is not replaying, or the key
/// belongs to something on top (help, a filter being typed): then pass the key to `reduce`.
///
///     if let rc = reduceReplay(view, key: key, keyMap: map) { player.apply(rc) }
///     else { for c in reduce(&view, key: key, snapshot: s, keyMap: map) { … } }
public func reduceReplay(_ state: ViewState, key: Key, keyMap: KeyMap = .standard) -> ReplayCommand? {
    guard state.replay != nil, !state.isTypingFilter, !state.showHelp else { return nil }
    switch keyMap.replayAction(for: key) {
    case .replayPause?: return .togglePause
    case .replayStepForward?: return .stepForward
    case .replayStepBack?: return .stepBack
    case .replayPreviousCycle?: return .previousCycle
    case .replayNextCycle?: return .nextCycle
    case .replayFaster?: return .faster
    case .replaySlower?: return .slower
    default: return nil
    }
}
