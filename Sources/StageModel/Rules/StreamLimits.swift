import Foundation

/// Which of a stream's limits are running at a moment, and what each one is. The probe's watchdog fires
/// on these and the dashboard draws its meters from them, so the two cannot disagree about a limit:
///
/// - before the first body byte: `first_byte_within`, or `max_gap` when only that is set (a stream
///   configured with only `max_gap` must still not wait for ever for its first byte);
/// - after it: `max_gap`, counted from the last data;
/// - all along: `finish_within`, counted from the start.
///
/// Limits are lengths in one unit (seconds for the probe, ms for `StreamProgress`); instants are any
/// type (the probe's monotonic seconds, the snapshot's `Date`s): the rule only picks, never measures.
public struct StreamLimits: Sendable, Equatable {
    public var firstByteWithin: Double?
    public var maxGap: Double?
    public var finishWithin: Double?

    public init(firstByteWithin: Double? = nil, maxGap: Double? = nil, finishWithin: Double? = nil) {
        self.firstByteWithin = firstByteWithin; self.maxGap = maxGap; self.finishWithin = finishWithin
    }

    /// What a running limit is waiting for.
    public enum Phase: Sendable, Equatable {
        /// The first body byte, since the start.
        case firstByte
        /// More data, since the last data.
        case gap
        /// The end of the body, since the start.
        case total
    }

    /// One limit running now: what it waits for, since when, and the configured limit that fires when
    /// `length` has passed (both nil when none is configured: the meter runs without a limit).
    public struct Running<Instant> {
        public var phase: Phase
        public var since: Instant
        public var limit: WatchdogLimit?
        public var length: Double?

        public init(phase: Phase, since: Instant, limit: WatchdogLimit?, length: Double?) {
            self.phase = phase; self.since = since; self.limit = limit; self.length = length
        }
    }

    /// The phase limit (first byte or gap), then the total. `lastDataAt` is nil until the first body byte.
    public func running<Instant>(startedAt: Instant, lastDataAt: Instant?) -> [Running<Instant>] {
        let phase: Running<Instant>
        if let last = lastDataAt {
            phase = Running(phase: .gap, since: last, limit: maxGap.map { _ in .maxGap }, length: maxGap)
        } else if let firstByteWithin {
            phase = Running(phase: .firstByte, since: startedAt, limit: .firstByte, length: firstByteWithin)
        } else {
            phase = Running(phase: .firstByte, since: startedAt, limit: maxGap.map { _ in .maxGap }, length: maxGap)
        }
        return [phase, Running(phase: .total, since: startedAt, limit: finishWithin.map { _ in .finish }, length: finishWithin)]
    }
}

extension StreamLimits {
    /// A stream probe's limits, in seconds (the probe's watchdog).
    public init(_ spec: StreamProbeSpec) {
        self.init(firstByteWithin: spec.firstByteWithin?.seconds, maxGap: spec.maxGap?.seconds, finishWithin: spec.finishWithin?.seconds)
    }

    public var isEmpty: Bool { firstByteWithin == nil && maxGap == nil && finishWithin == nil }
}

extension StreamLimits.Running: Sendable where Instant: Sendable {}
extension StreamLimits.Running: Equatable where Instant: Equatable {}

/// One running limit of a live stream measured at a moment: how long it has waited, against what.
public struct WatchdogMeter: Sendable, Equatable {
    public var phase: StreamLimits.Phase
    /// The configured limit that fires when the meter passes `limitMs`; nil without one.
    public var limit: WatchdogLimit?
    public var elapsedMs: Double
    public var limitMs: Double?

    public init(phase: StreamLimits.Phase, limit: WatchdogLimit?, elapsedMs: Double, limitMs: Double?) {
        self.phase = phase; self.limit = limit; self.elapsedMs = elapsedMs; self.limitMs = limitMs
    }

    /// Past the limit while the run has not been judged yet: the watchdog is about to fire (or late).
    public var isOver: Bool { limitMs.map { elapsedMs > $0 } ?? false }
    /// Elapsed as a fraction of the limit (0 without one).
    public var fraction: Double { limitMs.map { $0 > 0 ? elapsedMs / $0 : 1 } ?? 0 }
}

extension StreamProgress {
    /// The stream's limits, as its probe's watchdog runs them.
    public var limits: StreamLimits {
        StreamLimits(firstByteWithin: firstByteWithinMs, maxGap: maxGapMs, finishWithin: finishWithinMs)
    }

    /// The running limits at `now` (the snapshot's `takenAt`, so meters move between frames without the
    /// UI reading a clock): the phase meter, then the total.
    public func meters(now: Date) -> [WatchdogMeter] {
        let lastData = firstByteAt.map { max($0, lastDataAt ?? $0) }
        return limits.running(startedAt: startedAt, lastDataAt: lastData).map { r in
            WatchdogMeter(phase: r.phase, limit: r.limit, elapsedMs: max(0, now.timeIntervalSince(r.since) * 1000), limitMs: r.length)
        }
    }

    /// The first limit this stream is already past, if any.
    public func overLimit(now: Date) -> WatchdogMeter? {
        meters(now: now).first { $0.isOver }
    }
}
