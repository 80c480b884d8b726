import Foundation
import StageModel

/// A run's events in arrival order with the time since connect and the gap to the event before:
///
///     +0.0ms    system_message
///     +41.2ms   agent_started   (+41.2)
///     +130.4ms  agent_thinking  (+89.2)  longest gap
///
/// The gaps are what the reports could not see: which step the server sat on.
struct Timeline {
    let events: [TimedEvent]

    /// Lines shown before the rest is summarised as `… N more events`.
    static let maxLines = 40

    struct Row: Equatable {
        var at: String
        var type: String
        /// nil for the first event.
        var gap: String?
        var isLongestGap: Bool
    }

    var rows: [Row] {
        var gaps: [Double?] = [nil]
        for k in events.indices.dropFirst() { gaps.append(events[k].atMs - events[k - 1].atMs) }
        // Only call out a longest gap when there are at least two gaps to compare.
        let longest = gaps.count > 2 ? gaps.compactMap { $0 }.max() : nil
        var marked = false
        return events.enumerated().map { k, e in
            let isLongest = !marked && longest != nil && gaps[k] == longest
            if isLongest { marked = true }
            return Row(at: "+" + Format.fixed(e.atMs, decimals: 1) + "ms", type: e.type, gap: gaps[k].map { "(" + TextFormat.gap($0) + ")" },
                       isLongestGap: isLongest)
        }
    }

    func lines(renderer r: Renderer, width: Int) -> [Line] {
        let rows = rows
        let atW = rows.map { TextWidth.of($0.at) }.max() ?? 0
        let typeW = min(max(8, width / 3), rows.map { TextWidth.of($0.type) }.max() ?? 0)
        var out = rows.prefix(Timeline.maxLines).map { row -> Line in
            var line = Line([Span("  " + TextWidth.fit(row.at, width: atW, align: .right) + "  ", r.style(.textDim)),
                             Span(TextWidth.fit(row.type, width: typeW, ellipsis: r.glyphs.ellipsis), r.style(.text))])
            if let gap = row.gap {
                line.append("  " + gap, row.isLongestGap ? r.style(.latencyWarn) : r.style(.textDim))
                if row.isLongestGap { line.append("  longest gap", r.style(.latencyWarn)) }
            }
            return line
        }
        if rows.count > Timeline.maxLines { out.append(Line("  … \(rows.count - Timeline.maxLines) more events", r.style(.textDim))) }
        return out
    }
}
