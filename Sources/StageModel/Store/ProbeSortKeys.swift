/// Each probe's place in name order and in group order, as integers. Names and groups are fixed for a
/// store's life, so the dashboard sorts 10,000 rows by comparing integers instead of strings every frame.
public struct ProbeSortKeys: Sendable {
    /// `nameRank[i]`: position of probe i when sorted by name (ties by index).
    public let nameRank: [Int]
    /// `groupRank[i]`: position of probe i's group among the sorted group names.
    public let groupRank: [Int]

    public init(_ probes: [ProbeState]) {
        let byName = probes.indices.sorted { a, b in
            probes[a].name != probes[b].name ? probes[a].name < probes[b].name : a < b
        }
        var nameRank = [Int](repeating: 0, count: probes.count)
        for (rank, i) in byName.enumerated() { nameRank[i] = rank }
        let groups = Array(Set(probes.map(\.group))).sorted()
        let ordinal = Dictionary(uniqueKeysWithValues: groups.enumerated().map { ($1, $0) })
        self.nameRank = nameRank
        groupRank = probes.map { ordinal[$0.group]! }
    }

    /// Whether these keys were made for `probes` (same count; a store never reorders its probes).
    public func fits(_ probes: [ProbeState]) -> Bool { nameRank.count == probes.count }
}
