/// Reconnect delays for held-open probes: exponential from `base`, capped, with "equal jitter" (each delay
/// uniform in [½·d, d]) so a staging restart does not see every dashboard reconnect in the same millisecond,
/// yet never retries at once. Seedable, so tests can predict the sequence.
public struct WebSocketBackoff: Sendable, Equatable {
    public var base: Double
    public var cap: Double
    public var factor: Double

    public init(base: Double = 0.25, cap: Double = 30, factor: Double = 2) {
        self.base = base; self.cap = cap; self.factor = factor
    }

    /// The un-jittered delay before reconnect number `attempt` (0 = the first retry after a drop).
    public func ceiling(attempt: Int) -> Double {
        let exp = Double(max(0, min(attempt, 62)))
        let d = base * pow(factor, exp)
        return d.isFinite ? min(cap, d) : cap
    }

    public func delay(attempt: Int, using rng: inout some RandomNumberGenerator) -> Double {
        let d = ceiling(attempt: attempt)
        return d / 2 + Double.random(in: 0...(d / 2), using: &rng)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
