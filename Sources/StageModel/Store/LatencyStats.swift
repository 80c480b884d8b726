/// A value summary of a probe's latencies, cheap to copy into snapshots and reports.
public struct LatencySummary: Sendable, Equatable, Codable {
    public var last: Double?
    public var avg: Double?
    public var p50: Double?
    public var p95: Double?
    public var p99: Double?
    public var samples: Int

    public init(last: Double? = nil, avg: Double? = nil, p50: Double? = nil, p95: Double? = nil, p99: Double? = nil, samples: Int = 0) {
        self.last = last; self.avg = avg; self.p50 = p50; self.p95 = p95; self.p99 = p99; self.samples = samples
    }
}

/// Rolling latency statistics for one probe: every sample since start in a sparse histogram.
///
/// Why not HdrHistogram (used before): one covering 1 µs to 1 h at 3 digits is ~22,000 UInt64 counters,
/// 180 KB per probe whether or not they are used, and a percentile walks all of them — with 1,000 probes that
/// was most of stagetop's memory and 39 % of its CPU (perf; see README "Performance"). Latencies of one probe
/// cluster, so only the buckets that were hit are kept, in a sorted array.
///
/// Buckets are the screen's digits (`Formatting.latency`): 0.1 ms below 1 s, 10 ms below 10 s, 100 ms above,
/// each centred on the value printed, so a percentile prints exactly what the exact sample would print. They
/// were ten times finer (0.01 ms) until the soak showed why not: a route answering in 4–9 ms puts almost every
/// sample in a bucket of its own at that grain, so each probe's histogram grew by ~8 bytes a run for hours
/// (1,000 probes: ~3 MB in the soak's hour, most of its RSS growth). At the screen's grain the same spread is
/// ~50 buckets. The mean is kept exactly, not from buckets.
public struct LatencyStats: Sendable {
    /// Bucket keys, ascending, and their counts (parallel arrays: 8 bytes a bucket).
    private var keys: [UInt32] = []
    private var counts: [UInt32] = []
    private var total = 0
    private var sumMs: Double = 0
    public private(set) var lastMs: Double?

    public init() {}

    public var count: Int { total }
    /// Buckets in use (for the memory figures in tests and benchmarks).
    public var bucketCount: Int { keys.count }

    public mutating func record(ms: Double) {
        guard ms.isFinite, ms >= 0 else { return }
        let key = Self.key(ms)
        // Binary search: the common case is a bucket already there.
        var lo = 0, hi = keys.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if keys[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        if lo < keys.count, keys[lo] == key {
            counts[lo] &+= 1
        } else {
            keys.insert(key, at: lo)
            counts.insert(1, at: lo)
        }
        total += 1
        sumMs += ms
        lastMs = ms
    }

    public var averageMs: Double? { total == 0 ? nil : sumMs / Double(total) }

    /// Nearest rank: the smallest bucket holding at least `p` % of the samples.
    public func percentileMs(_ p: Double) -> Double? {
        guard total > 0 else { return nil }
        let rank = max(1, Int((p / 100 * Double(total)).rounded(.up)))
        var seen = 0
        for (i, c) in counts.enumerated() {
            seen += Int(c)
            if seen >= rank { return Self.midpoint(keys[i]) }
        }
        return Self.midpoint(keys[keys.count - 1])
    }

    /// p50, p95 and p99 in one walk.
    public var summary: LatencySummary {
        guard total > 0 else { return LatencySummary() }
        let ranks = [50.0, 95, 99].map { max(1, Int(($0 / 100 * Double(total)).rounded(.up))) }
        var out: [Double] = []
        var seen = 0, next = 0
        for (i, c) in counts.enumerated() where next < ranks.count {
            seen += Int(c)
            while next < ranks.count, seen >= ranks[next] { out.append(Self.midpoint(keys[i])); next += 1 }
        }
        return LatencySummary(last: lastMs, avg: averageMs, p50: out[0], p95: out[1], p99: out[2], samples: total)
    }

    // Bucket keys: [0, 10_000] are 0.1 ms steps to 1 s (key k is k/10 ms); then 10 ms steps to 10 s; then
    // 100 ms steps. Keys round to the nearest step, as the screen does, and stay in the order of the values.
    static let fineLimit: UInt32 = 10_001
    static let midLimit: UInt32 = fineLimit + 1_001

    static func key(_ ms: Double) -> UInt32 {
        if ms < 999.95 { return UInt32((ms * 10).rounded()) }
        if ms < 9_995 { return fineLimit + UInt32((ms / 10).rounded()) }
        return midLimit + UInt32(min((ms / 100).rounded(), Double(UInt32.max - midLimit - 1)))
    }

    static func midpoint(_ key: UInt32) -> Double {
        if key < fineLimit { return Double(key) / 10 }
        if key < midLimit { return Double(key - fineLimit) * 10 }
        return Double(key - midLimit) * 100
    }
}
