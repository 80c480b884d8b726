import Histogram

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

/// Rolling latency statistics for one probe, recorded in microseconds in an HdrHistogram
/// (3 significant digits: 0.1% error, so "82.7 ms" is exact to the digit shown).
public struct LatencyStats: Sendable {
    private var histogram = Histogram<UInt64>(highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
    private var sumMs: Double = 0
    public private(set) var lastMs: Double?

    public init() {}

    public var count: Int { Int(histogram.totalCount) }

    public mutating func record(ms: Double) {
        guard ms.isFinite, ms >= 0 else { return }
        _ = histogram.record(UInt64((ms * 1000).rounded()))
        sumMs += ms
        lastMs = ms
    }

    /// The mean is kept exactly (not from buckets) because users compare it against other tools' averages.
    public var averageMs: Double? { count == 0 ? nil : sumMs / Double(count) }

    public func percentileMs(_ p: Double) -> Double? {
        count == 0 ? nil : Double(histogram.valueAtPercentile(p)) / 1000
    }

    public var summary: LatencySummary {
        LatencySummary(last: lastMs, avg: averageMs, p50: percentileMs(50), p95: percentileMs(95), p99: percentileMs(99), samples: count)
    }
}
