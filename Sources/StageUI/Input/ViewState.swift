import Foundation

/// How the probe table is ordered.
public enum SortOrder: String, Sendable, Hashable, CaseIterable {
    /// Worst first (hang > error > fail > pending > skip > pass), then group, then name.
    case status
    case name
    /// Slowest last run first; probes without a latency last.
    case latency
    /// By group, worst first within a group.
    case group

    public var next: SortOrder {
        let all = SortOrder.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// What the app must do after a key: the UI never performs effects itself.
public enum Command: Sendable, Hashable {
    case quit
    case rerun(String)
    case rerunAll
    case togglePause
    case nextTheme
    case nextScenario
}

/// Everything about the view that is not in the snapshot. A value: the reducer changes it on keys,
/// the renderer adjusts scroll offsets and records page sizes (like ratatui's stateful widgets).
public struct ViewState: Sendable, Equatable {
    /// The selected probe, by name so the selection follows the probe when rows re-sort.
    /// nil or a name not shown means the first row.
    public var selected: String?
    /// First visible row of the table (rows include group headers). Adjusted by the renderer.
    public var scroll = 0
    public var sort: SortOrder = .status
    /// The applied filter ("" = none).
    public var filter = ""
    /// Non-nil while typing a filter; the table previews it live.
    public var filterDraft: String?
    /// The probe whose detail view is open.
    public var detail: String?
    public var detailScroll = 0
    public var showHelp = false
    /// The cycle view (`c`) is open instead of the probe table.
    public var showCycles = false
    /// First visible row of the cycle view. Adjusted by the renderer.
    public var cycleScroll = 0
    /// Set by the app while it plays a recording: the header shows a REPLAY badge and the replay keys
    /// (`KeyMap.replay`) become active. nil for the live dashboard.
    public var replay: ReplayStatus?
    /// The zone of the header clock and log times (UTC by default; the CLI may pass `.current`).
    public var timeZone: TimeZone
    /// Latency colouring thresholds (ms): below `warn` is good, from `bad` on is bad.
    public var latencyWarnMs: Double = 300
    public var latencyBadMs: Double = 1000
    /// Table (or detail) rows visible at the last render: what PgUp/PgDn move by. Set by the renderer.
    public var pageSize = 10

    public init(timeZone: TimeZone = TimeZone(identifier: "UTC")!) { self.timeZone = timeZone }

    /// The filter in effect: the draft while typing, else the applied one.
    public var activeFilter: String { filterDraft ?? filter }
    public var isTypingFilter: Bool { filterDraft != nil }
}
