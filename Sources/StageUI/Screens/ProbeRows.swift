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
        // Names and groups are ranked once per store (`sortKeys`): no string is compared per frame.
        let keys = snapshot.sortKeys.flatMap { $0.fits(probes) ? $0 : nil } ?? ProbeSortKeys(probes)
        // Status, group and name orders need no comparison sort: walking the probes in name order (ranked once
        // per store) and dropping each into its (status, group) or (group, status) bucket keeps names in order
        // within a bucket, so one counting pass orders 10,000 rows. A comparison sort was a quarter of a
        // 10,000-row frame in perf.
        let groups = keys.groupCount
        var shown: [Bool]?
        if idx.count != probes.count {
            var mask = [Bool](repeating: false, count: probes.count)
            for i in idx { mask[i] = true }
            shown = mask
        }
        func bucketed(_ bucket: (Int) -> Int, buckets: Int) -> [Int] {
            // Buckets are worked out in index order (the probes' memory in order), then read in name order
            // from this small array, which stays in cache where the probes' states would not.
            var slot = [Int32](repeating: -1, count: probes.count)
            var start = [Int](repeating: 0, count: buckets + 1)
            for i in probes.indices where shown?[i] ?? true {
                let b = bucket(i)
                slot[i] = Int32(b)
                start[b + 1] += 1
            }
            for b in 0..<buckets { start[b + 1] += start[b] }
            var out = [Int](repeating: 0, count: idx.count)
            for i in keys.byNameRank {
                let b = Int(slot[i])
                guard b >= 0 else { continue }
                out[start[b]] = i
                start[b] += 1
            }
            return out
        }
        switch sort {
        case .status:
            return bucketed({ i in (5 - DisplayStatus(probes[i].verdict).rank) * groups + keys.groupRank[i] }, buckets: 6 * groups)
        case .group:
            return bucketed({ i in keys.groupRank[i] * 6 + (5 - DisplayStatus(probes[i].verdict).rank) }, buckets: 6 * groups)
        case .name:
            return keys.byNameRank.filter { shown?[$0] ?? true }
        case .latency:
            let lat = idx.map { probes[$0].last?.latencyMs }
            let name = idx.map { keys.nameRank[$0] }
            var order = Array(idx.indices)
            order.sort { a, b in
                switch (lat[a], lat[b]) {
                case let (x?, y?) where x != y: return x > y
                case (_?, nil): return true
                case (nil, _?): return false
                default: return name[a] < name[b]
                }
            }
            return order.map { idx[$0] }
        }
    }

    /// Table rows: probes with a group header wherever the group changes (status and group sorts;
    /// name and latency sorts are flat lists, where headers would separate every row).
    public static func entries(_ snapshot: Snapshot, sort: SortOrder, filter: String) -> [TableEntry] {
        let order = ordered(snapshot, sort: sort, filter: filter)
        guard sort == .status || sort == .group else { return order.map(TableEntry.probe) }
        var out: [TableEntry] = []
        out.reserveCapacity(order.count + 8)
        // Group ranks, not group names, tell where a group changes: one Int compare a row.
        let ranks = snapshot.sortKeys.flatMap { $0.fits(snapshot.probes) ? $0.groupRank : nil }
        var lastGroup = -1
        var lastName: String?
        for i in order {
            if let ranks {
                if ranks[i] != lastGroup { out.append(.group(snapshot.probes[i].group)); lastGroup = ranks[i] }
            } else {
                let g = snapshot.probes[i].group
                if g != lastName { out.append(.group(g)); lastName = g }
            }
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
