import Foundation
import StageModel
import Testing
@testable import StageUI

/// The table's bucket ordering (ProbeRows.ordered) against a plain comparison sort of the same keys, on
/// random probe sets with and without a filter: the fast path must order exactly as the obvious one.
@Suite struct ProbeOrderTests {
    static func snapshot(seed: UInt64, count: Int) -> Snapshot {
        var rng = SplitMix(seed)
        let verdicts: [Verdict?] = [.pass, .fail, .hang, .error, .skip, nil]
        let groups = ["api", "auth", "ws", "", "streams", "agents", "zeta"]
        let probes = (0..<count).map { i -> ProbeState in
            let g = groups[Int(rng.next() % UInt64(groups.count))]
            let name = "p\(rng.next() % 5000)_\(i)"
            let v = verdicts[Int(rng.next() % UInt64(verdicts.count))]
            let last = v.map { ProbeResult(probe: name, kind: .http, verdict: $0, startedAt: Date(), finishedAt: Date()) }
            return ProbeState(name: name, group: g, kind: .http, target: "GET /", enabled: v != .skip, last: last)
        }
        var s = Snapshot(configName: "c", targetHost: "h", startedAt: Date(), takenAt: Date(), probes: probes)
        s.sortKeys = ProbeSortKeys(probes)
        return s
    }

    static func reference(_ s: Snapshot, sort: StageUI.SortOrder, filter: String) -> [Int] {
        let needle = filter.lowercased()
        let idx = s.probes.indices.filter { i in
            needle.isEmpty || s.probes[i].name.lowercased().contains(needle) || s.probes[i].group.lowercased().contains(needle)
                || (ProbeRows.failureClass(s.probes[i])?.rawValue.contains(needle) ?? false)
        }
        func rank(_ i: Int) -> Int { 5 - DisplayStatus(s.probes[i].verdict).rank }
        func byName(_ a: Int, _ b: Int) -> Bool { s.probes[a].name != s.probes[b].name ? s.probes[a].name < s.probes[b].name : a < b }
        switch sort {
        case .status:
            return idx.sorted { a, b in
                rank(a) != rank(b) ? rank(a) < rank(b) : s.probes[a].group != s.probes[b].group ? s.probes[a].group < s.probes[b].group : byName(a, b)
            }
        case .group:
            return idx.sorted { a, b in
                s.probes[a].group != s.probes[b].group ? s.probes[a].group < s.probes[b].group : rank(a) != rank(b) ? rank(a) < rank(b) : byName(a, b)
            }
        case .name: return idx.sorted(by: byName)
        case .latency: return []
        }
    }

    @Test(arguments: [1, 2, 3, 4])
    func bucketOrderIsTheComparisonOrder(_ seed: Int) {
        let s = Self.snapshot(seed: UInt64(seed), count: 700)
        for sort in [StageUI.SortOrder.status, .group, .name] {
            for filter in ["", "p1", "ws", "zzz-none"] {
                #expect(ProbeRows.ordered(s, sort: sort, filter: filter) == Self.reference(s, sort: sort, filter: filter), "\(sort) '\(filter)'")
            }
        }
    }

    /// The rows kept from the last frame (RowOrderCache) against rows worked out afresh, as a real store's
    /// results come in: a verdict change must reorder at once, and an unchanged verdict must leave the store's
    /// verdict array the very same storage (what lets the cache see "nothing moved" in one compare).
    @Test func keptRowsFollowTheStore() {
        let base = Self.snapshot(seed: 9, count: 300)
        var store = Store(configName: "c", targetHost: "h", insecure: false, startedAt: Date(), probes: base.probes)
        let cache = RowOrderCache()
        var rng = SplitMix(77)
        let verdicts: [Verdict] = [.pass, .pass, .pass, .fail, .hang, .error]
        var reused = 0
        for _ in 0..<60 {
            let i = Int(rng.next() % UInt64(store.probes.count))
            let before = store.snapshot(at: Date()).verdictCodes
            let v = verdicts[Int(rng.next() % UInt64(verdicts.count))]
            let changes = store.probes[i].enabled && store.probes[i].verdict != v
            store.apply(.finished(ProbeResult(probe: store.probes[i].name, kind: .http, verdict: v, startedAt: Date(), finishedAt: Date())))
            let snap = store.snapshot(at: Date())
            let same = before!.withUnsafeBufferPointer { a in snap.verdictCodes!.withUnsafeBufferPointer { $0.baseAddress == a.baseAddress } }
            #expect(same == !changes, "verdict codes shared exactly when no verdict changed")
            if same { reused += 1 }
            for sort in [StageUI.SortOrder.status, .group, .name] {
                let kept = cache.rows(snap, sort: sort, filter: "")
                let fresh = RowOrderCache.Rows(snap, sort: sort, filter: "")
                #expect(kept.entries == fresh.entries && kept.entryOf == fresh.entryOf, "\(sort)")
                #expect(kept.probeCount == fresh.probeCount && kept.nameMax == fresh.nameMax)
                #expect(ProbeRows.ordered(snap, sort: sort, filter: "") == Self.reference(snap, sort: sort, filter: ""))
            }
            // A filter is never served from what was kept.
            let filtered = cache.rows(snap, sort: .status, filter: "p1")
            #expect(filtered.entries == ProbeRows.entries(snap, sort: .status, filter: "p1"))
        }
        #expect(reused > 5 && reused < 55, "both paths taken: \(reused) of 60 unchanged")
    }
}

/// A small seeded generator, so a failure repeats.
struct SplitMix {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
