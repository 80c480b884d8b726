/// A small seedable generator (SplitMix64), so tests can predict the scheduler's jitter.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Spreads probe runs so probes sharing an interval do not fire in lockstep.
public enum Jitter {
    /// `interval × (1 + u)` with `u` uniform in `[−fraction, +fraction]`.
    public static func delay(interval: Double, fraction: Double, using rng: inout some RandomNumberGenerator) -> Double {
        guard fraction > 0 else { return interval }
        return interval * (1 + Double.random(in: -fraction...fraction, using: &rng))
    }

    /// Where a probe's first run falls after start: uniform in `[0, fraction × interval]`, at most
    /// `quickStart` seconds, so a config of 25 probes does not open 25 connections in the same millisecond,
    /// yet the screen fills within a second (a probe every hour must not wait six minutes for its first run).
    public static func firstDelay(interval: Double, fraction: Double, using rng: inout some RandomNumberGenerator) -> Double {
        guard fraction > 0 else { return 0 }
        return Double.random(in: 0...quickWindow(interval: interval, fraction: fraction), using: &rng)
    }

    public static let quickStart = 1.0

    static func quickWindow(interval: Double, fraction: Double) -> Double { min(fraction * interval, quickStart) }

    /// At most this many first runs start per second: past it, start-up spreads over more of the interval.
    public static let startRate = 200.0

    /// First delays for `count` probes sharing an interval. A few keep `firstDelay` (the screen fills within
    /// the jitter window); many are spread over `min(interval, count / startRate)` in jittered strata, one
    /// per probe, so 10,000 probes neither start at once nor in lockstep.
    public static func firstDelays(count: Int, interval: Double, fraction: Double, using rng: inout some RandomNumberGenerator) -> [Double] {
        let window = min(interval, Double(count) / startRate)
        guard window > quickWindow(interval: interval, fraction: fraction), count > 0 else {
            return (0..<count).map { _ in firstDelay(interval: interval, fraction: fraction, using: &rng) }
        }
        let slot = window / Double(count)
        var delays = (0..<count).map { i in (Double(i) + Double.random(in: 0..<1, using: &rng)) * slot }
        delays.shuffle(using: &rng)  // config order is not start order
        return delays
    }
}

/// How the scheduler waits between runs. Tests inject one that returns at once and records what was asked.
public protocol ProbeSleeper: Sendable {
    func sleep(seconds: Double) async throws
}

public struct TaskSleeper: ProbeSleeper {
    public init() {}
    public func sleep(seconds: Double) async throws {
        try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
    }
}
