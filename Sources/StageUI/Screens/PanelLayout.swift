/// Where the main screen's panes go between the header and the hint bar: the probe table on top,
/// then the watchdog pane, the close pane and the event log. Panes appear only with content, and on a
/// short terminal they give way in order (log first, then the panes shrink to one summary line, then
/// the log goes, then the panes) so the table keeps half the body, or what it has to show if less, and
/// never fewer than `tableMin` rows (header + 6 probes). The table is what an on-call engineer came for:
/// at 80x24 eight lines of one probe's 1011s must not leave room for only five probes.
struct PanelLayout: Equatable {
    var table: Rect
    var watchdog: Rect
    var closes: Rect
    var log: Rect

    static let tableMin = 7
    /// From this size on the close pane sits beside the log instead of above it.
    static let sideBySideWidth = 120
    static let sideBySideHeight = 30

    /// `body` is the area between header and hints; heights are what each pane wants (0: no content).
    /// `table` is the rows the table has to show (header, group and probe rows).
    static func plan(body: Rect, log logWanted: Int, watchdog watchWanted: Int, closes closesWanted: Int,
                     table tableWanted: Int = .max) -> PanelLayout {
        let side = closesWanted > 0 && body.width >= sideBySideWidth && body.height + 3 >= sideBySideHeight
        var log = logWanted
        var wd = watchWanted
        var cl = side ? 0 : closesWanted
        func table() -> Int { body.height - wd - cl - log }
        func shrinkTallest(above floor: Int) -> Bool {
            guard max(wd, cl) > floor else { return false }
            if wd >= cl { wd -= 1 } else { cl -= 1 }
            return true
        }
        let tableFloor = max(tableMin, min(body.height / 2, tableWanted))
        while table() < tableFloor {
            if log > 3 { log -= 1; continue }
            if shrinkTallest(above: 2) { continue }
            if log > 2 { log -= 1; continue }
            if shrinkTallest(above: 1) { continue }
            if log > 0 { log = 0; continue }
            if cl > 0 { cl = 0; continue }
            if wd > 0 { wd = 0; continue }
            break
        }
        let parts = body.split(.vertical, [.fill(1), .fixed(wd), .fixed(cl), .fixed(log)])
        var logRect = parts[3]
        var closeRect = parts[2]
        if side, log > 0 {
            // Close lines (time, probe, code, name, reason) are longer than most log lines need.
            let halves = parts[3].split(.horizontal, [.percent(40), .fill(1)])
            logRect = halves[0]
            closeRect = halves[1].inset(left: 1)
        }
        return PanelLayout(table: parts[0], watchdog: parts[1], closes: closeRect, log: logRect)
    }
}
