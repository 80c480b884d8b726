import Foundation
import StageModel

/// A row of the probe table: a group header or a probe (by index into `snapshot.probes`).
public enum TableEntry: Sendable, Hashable {
    case group(String)
    case probe(Int)
}

/// Filtering, ordering and grouping of the probe table. Shared by the renderer and the key reducer,
/// so "move down" moves to the row the user sees below.
public enum ProbeRows {
    /// Indices of the probes shown, filtered and sorted.
    public static func ordered(_ snapshot: Snapshot, sort: SortOrder, filter: String) -> [Int] {
        let probes = snapshot.probes
        let needle = filter.trimmingCharacters(in: .whitespaces).lowercased()
        var idx = Array(probes.indices)
        if !needle.isEmpty {
            idx = idx.filter { i in
                let p = probes[i]
                return p.name.lowercased().contains(needle) || p.group.lowercased().contains(needle)
                    || (failureClass(p)?.rawValue.contains(needle) ?? false)
            }
        }
        // Ranks are computed once, not per comparison: 1,000 probes must sort well inside a frame.
        let ranks = idx.map { DisplayStatus(probes[$0].verdict).rank }
        var order = Array(idx.indices)
        func byName(_ a: Int, _ b: Int) -> Bool { probes[idx[a]].name < probes[idx[b]].name }
        switch sort {
        case .status:
            order.sort { a, b in
                if ranks[a] != ranks[b] { return ranks[a] > ranks[b] }
                let ga = probes[idx[a]].group, gb = probes[idx[b]].group
                return ga != gb ? ga < gb : byName(a, b)
            }
        case .name:
            order.sort(by: byName)
        case .latency:
            let lat = idx.map { probes[$0].last?.latencyMs }
            order.sort { a, b in
                switch (lat[a], lat[b]) {
                case let (x?, y?) where x != y: return x > y
                case (_?, nil): return true
                case (nil, _?): return false
                default: return byName(a, b)
                }
            }
        case .group:
            order.sort { a, b in
                let ga = probes[idx[a]].group, gb = probes[idx[b]].group
                if ga != gb { return ga < gb }
                if ranks[a] != ranks[b] { return ranks[a] > ranks[b] }
                return byName(a, b)
            }
        }
        return order.map { idx[$0] }
    }

    /// Table rows: probes with a group header wherever the group changes (status and group sorts;
    /// name and latency sorts are flat lists, where headers would separate every row).
    public static func entries(_ snapshot: Snapshot, sort: SortOrder, filter: String) -> [TableEntry] {
        let order = ordered(snapshot, sort: sort, filter: filter)
        guard sort == .status || sort == .group else { return order.map(TableEntry.probe) }
        var out: [TableEntry] = []
        out.reserveCapacity(order.count + 8)
        var lastGroup: String?
        for i in order {
            let g = snapshot.probes[i].group
            if g != lastGroup { out.append(.group(g)); lastGroup = g }
            out.append(.probe(i))
        }
        return out
    }

    /// The failure class shown for a probe: only for a non-pass last result.
    static func failureClass(_ p: ProbeState) -> FailureClass? {
        guard p.enabled, let last = p.last, last.verdict != .pass else { return nil }
        return last.failureClass
    }

    /// Position of the selected probe among `order`: the named one, else 0.
    static func selectedIndex(_ order: [Int], snapshot: Snapshot, selected: String?) -> Int {
        guard let name = selected else { return 0 }
        return order.firstIndex { snapshot.probes[$0].name == name } ?? 0
    }
}
