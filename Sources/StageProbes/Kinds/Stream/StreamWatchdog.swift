import Foundation
import StageModel

/// The three stream limits as a pure state machine: fed with what happened and when, it answers when it
/// must be asked again (`deadline`) and whether a limit has passed. It never reads a clock and never
/// sleeps, so tests drive it with a `ManualClock`, and in production the curl thread uses `deadline` as
/// its poll timeout: the watchdog fires on time even though no data (and so no callback) arrives.
///
/// Times are seconds on any one monotonic scale (the curl thread uses CLOCK_MONOTONIC; tests use a
/// `ManualClock`'s dates through the `Date` overloads). Once fired it stays fired.
public struct StreamWatchdog: Sendable, Equatable {
    /// The limits in seconds, and which of them are running: the one rule the dashboard draws too.
    public typealias Limits = StreamLimits

    /// A limit that passed: which one, when it was due, and how far the stream had got by then.
    public struct Fire: Sendable, Equatable {
        public var limit: WatchdogLimit
        public var limitSeconds: Double
        public var dueAt: Double
        /// When the watchdog noticed (the `now` of the call that fired it); `firedAt - dueAt` is its lateness.
        public var firedAt: Double
        public var events: Int
        public var bytes: Int

        public var lateBy: Double { max(0, firedAt - dueAt) }

        /// The model's form, for `ProbeResult.stream.watchdog`; `at` is the wall-clock time of `firedAt`.
        public func record(probe: String, at: Date) -> WatchdogFire {
            WatchdogFire(probe: probe, limit: limit, limitMs: limitSeconds * 1000, at: at, lateByMs: lateBy * 1000,
                         events: events, bytes: bytes)
        }
    }

    public enum Decision: Sendable, Equatable {
        /// Nothing passed; ask again at `deadline` (nil: no limit left to watch, e.g. after the end).
        case waiting(deadline: Double?)
        case fired(Fire)
    }

    public let limits: Limits
    public let startedAt: Double
    public private(set) var firstByteAt: Double?
    public private(set) var lastDataAt: Double?
    public private(set) var events = 0
    public private(set) var bytes = 0
    public private(set) var finishedAt: Double?
    public private(set) var fire: Fire?

    public init(limits: Limits, startedAt: Double) {
        self.limits = limits
        self.startedAt = startedAt
    }

    public init(limits: Limits, startedAt: Date) {
        self.init(limits: limits, startedAt: startedAt.timeIntervalSinceReferenceDate)
    }

    /// The earliest limit still pending, nil when none is (finished, fired, or no limits).
    public var deadline: Double? { pending?.dueAt }

    /// Body data arrived: `bytes` more, and `events` the total of events seen so far (SSE events, or chunks
    /// for a plain body). Data that arrives after a deadline does not rescue the stream: the limit had passed.
    @discardableResult
    public mutating func data(bytes count: Int, events total: Int, at now: Double) -> Decision {
        if let decision = firedDecision(at: now) { return decision }
        if firstByteAt == nil { firstByteAt = now }
        lastDataAt = now
        bytes += count
        events = total
        return .waiting(deadline: deadline)
    }

    /// The body ended. A stream that ends after its deadline has still missed it.
    @discardableResult
    public mutating func finished(at now: Double) -> Decision {
        if let decision = firedDecision(at: now) { return decision }
        finishedAt = now
        return .waiting(deadline: nil)
    }

    /// Asks whether a limit has passed by `now` (the poll timed out, or any other wake-up).
    @discardableResult
    public mutating func check(at now: Double) -> Decision {
        firedDecision(at: now) ?? .waiting(deadline: deadline)
    }

    // MARK: - Date overloads (ManualClock in tests)

    @discardableResult
    public mutating func data(bytes count: Int, events total: Int, at now: Date) -> Decision {
        data(bytes: count, events: total, at: now.timeIntervalSinceReferenceDate)
    }

    @discardableResult
    public mutating func finished(at now: Date) -> Decision { finished(at: now.timeIntervalSinceReferenceDate) }

    @discardableResult
    public mutating func check(at now: Date) -> Decision { check(at: now.timeIntervalSinceReferenceDate) }

    public var deadlineDate: Date? { deadline.map { Date(timeIntervalSinceReferenceDate: $0) } }

    // MARK: - Internals

    /// The fire decision if one is (or now becomes) due; nil while all limits hold. Due means strictly past:
    /// data at exactly the limit is in time.
    private mutating func firedDecision(at now: Double) -> Decision? {
        if let fire { return .fired(fire) }
        guard let due = pending, now > due.dueAt else { return nil }
        let f = Fire(limit: due.limit, limitSeconds: due.seconds, dueAt: due.dueAt, firedAt: now, events: events, bytes: bytes)
        fire = f
        return .fired(f)
    }

    /// The limit that will pass first, given what has happened so far.
    private var pending: (limit: WatchdogLimit, seconds: Double, dueAt: Double)? {
        guard finishedAt == nil, fire == nil else { return nil }
        var best: (limit: WatchdogLimit, seconds: Double, dueAt: Double)?
        func consider(_ limit: WatchdogLimit, _ seconds: Double?, from origin: Double) {
            guard let seconds else { return }
            let due = origin + seconds
            if best == nil || due < best!.dueAt { best = (limit, seconds, due) }
        }
        // The same rule the dashboard draws its meters from (StageModel/Rules/StreamLimits.swift).
        for running in limits.running(startedAt: startedAt, lastDataAt: lastDataAt) {
            guard let limit = running.limit else { continue }
            consider(limit, running.length, from: running.since)
        }
        return best
    }
}
