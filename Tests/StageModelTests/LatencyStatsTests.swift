import Testing
@testable import StageModel

@Suite("LatencyStats: percentiles as exact as the screen, memory that grows with what was seen")
struct LatencyStatsTests {
    func exactPercentile(_ xs: [Double], _ p: Double) -> Double {
        let s = xs.sorted()
        return s[max(1, Int((p / 100 * Double(s.count)).rounded(.up))) - 1]
    }

    @Test("below 1 s a percentile prints exactly as the exact sample prints (0.1 ms), within 0.05 ms of it")
    func fineBelowOneSecond() {
        var rng = SystemRandomNumberGenerator()
        var stats = LatencyStats()
        var xs: [Double] = []
        for _ in 0..<20_000 {
            // A realistic spread: mostly 5-15 ms, a tail to 900 ms.
            let x = Double.random(in: 0...1, using: &rng) < 0.97 ? Double.random(in: 5...15, using: &rng) : Double.random(in: 15...900, using: &rng)
            xs.append(x)
            stats.record(ms: x)
        }
        let s = stats.summary
        for (p, got) in [(50.0, s.p50), (95, s.p95), (99, s.p99)] {
            let exact = exactPercentile(xs, p)
            #expect(abs(got! - exact) <= 0.05 + 1e-9, "p\(p): \(got!) vs \(exact)")
            #expect(Format.latency(got) == Format.latency(exact), "p\(p): \(got!) vs \(exact)")
            #expect(stats.percentileMs(p) == got)
        }
        #expect(abs(s.avg! - xs.reduce(0, +) / Double(xs.count)) < 1e-9, "the mean is exact")
        #expect(s.samples == 20_000 && s.last == xs.last)
    }

    @Test("1-10 s within 5 ms and printed alike (the screen shows 10 ms); above 10 s within 50 ms")
    func coarserAbove() {
        for x in [999.94, 999.96, 1234.56, 9_994.9, 9_995.1] {
            var stats = LatencyStats()
            stats.record(ms: x)
            #expect(abs(stats.percentileMs(50)! - x) <= 5, "\(x)")
            #expect(Format.latency(stats.percentileMs(50)) == Format.latency(x), "\(x)")
        }
        var long = LatencyStats()
        long.record(ms: 65_432)
        #expect(abs(long.percentileMs(50)! - 65_432) <= 50)
    }

    @Test("memory follows the spread at the screen's grain: 100,000 samples spread over 4-9 ms use 51 buckets")
    func sparse() {
        var stats = LatencyStats()
        var rng = SystemRandomNumberGenerator()
        // The soak's routes answered in 4-9 ms: at 0.01 ms that was a bucket for nearly every run, for hours.
        for _ in 0..<100_000 { stats.record(ms: Double.random(in: 4...9, using: &rng)) }
        #expect(stats.bucketCount <= 51, "\(stats.bucketCount) buckets: 8 bytes each")
        #expect(stats.count == 100_000)
    }

    @Test("one sample: every percentile is that sample (to the bucket); none: nil")
    func edges() {
        var stats = LatencyStats()
        #expect(stats.summary == LatencySummary())
        stats.record(ms: 82.7)
        #expect(abs(stats.summary.p99! - 82.7) <= 1e-9 && abs(stats.summary.p50! - 82.7) <= 1e-9)
        stats.record(ms: .nan)
        stats.record(ms: -1)
        #expect(stats.count == 1, "NaN and negative samples are not latencies")
    }
}
