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
        // Integer keys, not string compares: names and groups are ranked once per store (`sortKeys`), so
        // 10,000 rows sort in well under a frame. Status ranks are 0…5, so one Int holds the whole key.
        let keys = snapshot.sortKeys.flatMap { $0.fits(probes) ? $0 : nil } ?? ProbeSortKeys(probes)
        let rank = idx.map { 5 - DisplayStatus(probes[$0].verdict).rank }  // worst first
        let name = idx.map { keys.nameRank[$0] }
        let group = idx.map { keys.groupRank[$0] }
        var order = Array(idx.indices)
        switch sort {
        case .status:
            let key = order.map { (rank[$0] << 52) | (group[$0] << 26) | name[$0] }
            order.sort { key[$0] < key[$1] }
        case .name:
            order.sort { name[$0] < name[$1] }
        case .latency:
            let lat = idx.map { probes[$0].last?.latencyMs }
            order.sort { a, b in
                switch (lat[a], lat[b]) {
                case let (x?, y?) where x != y: return x > y
                case (_?, nil): return true
                case (nil, _?): return false
                default: return name[a] < name[b]
                }
            }
        case .group:
            let key = order.map { (group[$0] << 29) | (rank[$0] << 26) | name[$0] }
            order.sort { key[$0] < key[$1] }
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
