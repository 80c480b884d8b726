import StageModel

/// The probe table's rows as the last frame worked them out, kept for the next: a steady dashboard reorders
/// nothing, and ordering 10,000 rows, finding the selected one and measuring the names shown was a fifth of
/// a frame (perf). They are reused only when nothing they depend on changed: the same store (its sort keys),
/// the same verdicts (the store's `verdictCodes`, the very same array while no verdict changes), the same
/// sort, and no filter (a filter also matches failure classes, which change without a verdict changing).
/// Anything else is worked out afresh, exactly as without the cache.
final class RowOrderCache: Sendable {
    struct Rows: Sendable {
        let entries: [TableEntry]
        /// How many of `entries` are probes (the rest are group headers).
        let probeCount: Int
        /// `entryOf[i]`: the row of probe i among `entries`, -1 when it is not shown.
        let entryOf: [Int32]
        /// The longest name shown, in columns (at least 12).
        let nameMax: Int

        init(_ snapshot: Snapshot, sort: SortOrder, filter: String) {
            entries = ProbeRows.entries(snapshot, sort: sort, filter: filter)
            var entryOf = [Int32](repeating: -1, count: snapshot.probes.count)
            var count = 0, nameMax = 12
            let widths = snapshot.sortKeys.flatMap { $0.fits(snapshot.probes) ? $0.asciiNameWidth : nil }
            for (row, entry) in entries.enumerated() {
                guard case .probe(let i) = entry else { continue }
                entryOf[i] = Int32(row)
                count += 1
                let w = widths.map { Int($0[i]) } ?? -1
                nameMax = max(nameMax, w >= 0 ? w : TextWidth.of(snapshot.probes[i].name))
            }
            self.entryOf = entryOf
            probeCount = count
            self.nameMax = nameMax
        }
    }

    private struct Key {
        let codes: [UInt8]
        let byName: [Int]
        let sort: SortOrder
    }

    private let last = Locked<(key: Key, rows: Rows)?>(nil)

    init() {}

    func rows(_ snapshot: Snapshot, sort: SortOrder, filter: String) -> Rows {
        // Latency order moves with every result; a filter or a snapshot from outside a store has no stamp.
        guard sort != .latency, filter.allSatisfy(\.isWhitespace), let codes = snapshot.verdictCodes,
              let keys = snapshot.sortKeys, keys.fits(snapshot.probes), codes.count == snapshot.probes.count
        else { return Rows(snapshot, sort: sort, filter: filter) }
        // Arrays compare their storage first: the same store's unchanged arrays match without a walk.
        if let hit = last.withLock({ $0 }), hit.key.sort == sort, hit.key.codes == codes, hit.key.byName == keys.byNameRank {
            return hit.rows
        }
        let rows = Rows(snapshot, sort: sort, filter: filter)
        last.withLock { $0 = (Key(codes: codes, byName: keys.byNameRank, sort: sort), rows) }
        return rows
    }
}
