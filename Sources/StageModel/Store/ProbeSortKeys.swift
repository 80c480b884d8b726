/// Each probe's place in name order and in group order, as integers. Names and groups are fixed for a
/// store's life, so the dashboard sorts 10,000 rows by comparing integers instead of strings every frame.
public struct ProbeSortKeys: Sendable {
    /// `nameRank[i]`: position of probe i when sorted by name (ties by index).
    public let nameRank: [Int]
    /// `groupRank[i]`: position of probe i's group among the sorted group names.
    public let groupRank: [Int]
    /// `byNameRank[r]`: the probe whose name rank is r (the inverse of `nameRank`): the probes in name order,
    /// which the table's bucket pass walks.
    public let byNameRank: [Int]
    /// How many distinct groups there are (group ranks are 0..<groupCount).
    public let groupCount: Int
    /// `asciiNameWidth[i]`: the columns probe i's name takes when it is printable ASCII (one column a
    /// byte), else -1 (the screen measures it). The NAME column fits the longest name shown, and measuring
    /// 10,000 names every frame was a tenth of the frame (perf).
    public let asciiNameWidth: [Int32]

    public init(_ probes: [ProbeState]) {
        let byName = probes.indices.sorted { a, b in
            probes[a].name != probes[b].name ? probes[a].name < probes[b].name : a < b
        }
        var nameRank = [Int](repeating: 0, count: probes.count)
        for (rank, i) in byName.enumerated() { nameRank[i] = rank }
        let groups = Array(Set(probes.map(\.group))).sorted()
        let ordinal = Dictionary(uniqueKeysWithValues: groups.enumerated().map { ($1, $0) })
        self.nameRank = nameRank
        byNameRank = byName
        asciiNameWidth = probes.map { p in
            p.name.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } ? Int32(clamping: p.name.utf8.count) : -1
        }
        groupRank = probes.map { ordinal[$0.group]! }
        groupCount = groups.count
    }

    /// Whether these keys were made for `probes` (same count; a store never reorders its probes).
    public func fits(_ probes: [ProbeState]) -> Bool { nameRank.count == probes.count }

    /// The probe named `name`, by binary search over the name order: the table finds its selected row
    /// without touching every probe's name.
    public func index(named name: String, in probes: [ProbeState]) -> Int? {
        var lo = 0, hi = byNameRank.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if probes[byNameRank[mid]].name < name { lo = mid + 1 } else { hi = mid }
        }
        return lo < byNameRank.count && probes[byNameRank[lo]].name == name ? byNameRank[lo] : nil
    }
}
