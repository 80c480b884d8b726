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
/// Buckets are as fine as the screen: 0.01 ms below 1 s (shown to 0.1 ms), 1 ms below 10 s (shown to 10 ms),
/// 100 ms above. A percentile is its bucket's midpoint, so it is within half a bucket of the exact sample:
/// exact to the digit shown. The mean is kept exactly, not from buckets.
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

    // Bucket keys: [0, 100_000) are 0.01 ms steps below 1 s; then 1 ms steps to 10 s; then 100 ms steps.
    static let fineLimit: UInt32 = 100_000
    static let midLimit: UInt32 = fineLimit + 9_000

    static func key(_ ms: Double) -> UInt32 {
        if ms < 1000 { return UInt32(ms * 100) }
        if ms < 10_000 { return fineLimit + UInt32(ms - 1000) }
        return midLimit + UInt32(min((ms - 10_000) / 100, Double(UInt32.max - midLimit - 1)))
    }

    static func midpoint(_ key: UInt32) -> Double {
        if key < fineLimit { return (Double(key) + 0.5) / 100 }
        if key < midLimit { return 1000 + Double(key - fineLimit) + 0.5 }
        return 10_000 + (Double(key - midLimit) + 0.5) * 100
    }
}
