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
        // Keys are gathered once into flat arrays, not read from the probes per comparison: 1,000 probes
        // must sort well inside a frame. Group names become integers (few groups), so only names compare as strings.
        let ranks = idx.map { DisplayStatus(probes[$0].verdict).rank }
        let names = idx.map { probes[$0].name }
        let groupNames = Array(Set(idx.map { probes[$0].group })).sorted()
        let groupOrdinal = Dictionary(uniqueKeysWithValues: groupNames.enumerated().map { ($1, $0) })
        let groups = idx.map { groupOrdinal[probes[$0].group]! }
        var order = Array(idx.indices)
        switch sort {
        case .status:
            order.sort { a, b in
                if ranks[a] != ranks[b] { return ranks[a] > ranks[b] }
                return groups[a] != groups[b] ? groups[a] < groups[b] : names[a] < names[b]
            }
        case .name:
            order.sort { a, b in names[a] < names[b] }
        case .latency:
            let lat = idx.map { probes[$0].last?.latencyMs }
            order.sort { a, b in
                switch (lat[a], lat[b]) {
                case let (x?, y?) where x != y: return x > y
                case (_?, nil): return true
                case (nil, _?): return false
                default: return names[a] < names[b]
                }
            }
        case .group:
            order.sort { a, b in
                if groups[a] != groups[b] { return groups[a] < groups[b] }
                if ranks[a] != ranks[b] { return ranks[a] > ranks[b] }
                return names[a] < names[b]
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
