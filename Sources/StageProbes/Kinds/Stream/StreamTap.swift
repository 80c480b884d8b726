import Dispatch
import Foundation
import StageModel

/// What one stream transfer saw, handed back with its result.
public struct StreamRecord: Sendable, Equatable {
    /// First *body* byte, ms after the transfer started (curl's STARTTRANSFER is header arrival; this is not).
    public var firstByteMs: Double?
    public var chunks = 0
    public var bytes = 0
    /// Each body chunk's arrival, ms after the start (at most `StreamTap.maxEvents` kept).
    public var chunkArrivalsMs: [Double] = []
    /// SSE events as they completed, ms after the start (at most `StreamTap.maxEvents` kept).
    /// Empty for a plain chunked body.
    public var events: [TimedEvent] = []
    /// All events counted, also past the cap.
    public var eventCount = 0
    /// Longest silence between two body chunks, ms.
    public var longestGapMs: Double?
    /// Start to end of body, or to the watchdog firing, ms.
    public var durationMs: Double = 0
    /// Whether the body was an event stream (Content-Type text/event-stream).
    public var isEventStream = false
    public var fire: WatchdogFire?

    public init() {}

    /// The model's summary for `ProbeResult.stream`.
    public var info: StreamInfo {
        StreamInfo(firstByteMs: firstByteMs, chunks: chunks, bytes: bytes, events: events.map(\.type),
                   longestGapMs: longestGapMs, watchdog: fire)
    }
}

/// How a stream transfer is watched: its limits, and where its (throttled) progress goes.
public struct StreamWatchSettings: Sendable {
    public var probe: String
    public var limits: StreamWatchdog.Limits
    /// Wall clock for the dates in progress events and the fire record (durations use a monotonic clock).
    public var clock: any WallClock
    /// At most one progress event per this many seconds while data flows (plus one at the start and one
    /// at the first byte), so a chatty stream does not flood the store.
    public var progressInterval: Double
    /// Called on the curl thread, in order, always before the transfer's result is returned: keep it cheap
    /// and non-blocking (the store's `apply` is).
    public var progress: (@Sendable (StreamProgress) -> Void)?

    public init(probe: String, limits: StreamWatchdog.Limits, clock: any WallClock = SystemClock(),
                progressInterval: Double = 0.1, progress: (@Sendable (StreamProgress) -> Void)? = nil) {
        self.probe = probe; self.limits = limits; self.clock = clock
        self.progressInterval = progressInterval; self.progress = progress
    }
}

/// One stream transfer's live state. Created by the caller, then touched only by the curl thread (write
/// callback and poll loop) until the transfer completes; the continuation's resume hands it back. Hence
/// `@unchecked Sendable`.
final class StreamTap: @unchecked Sendable {
    static let maxEvents = 1000

    let watch: StreamWatchSettings
    private var watchdog: StreamWatchdog?
    private var parser: StreamEventParser?
    private var monoStart = 0.0
    private var wallStart = Date()
    private var lastChunkAt: Double?
    private var lastProgressAt = -Double.infinity
    /// Data came since the last progress event (held back by the throttle): sent at the next chance, so
    /// the panel never sticks at "1 event" when the stream stalled right after its second.
    private var progressPending = false
    private var sawContentType = false
    private(set) var record = StreamRecord()

    init(_ watch: StreamWatchSettings) { self.watch = watch }

    /// CLOCK_MONOTONIC in seconds: chunk times and deadlines must not jump with the wall clock.
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    var isFired: Bool { record.fire != nil }

    /// The transfer is being handed to curl.
    func begin(at now: Double) {
        monoStart = now
        wallStart = watch.clock.now()
        watchdog = StreamWatchdog(limits: watch.limits, startedAt: now)
        emitProgress(at: now, force: true)
    }

    /// A body chunk arrived (write callback). `contentType` is asked once, at the first chunk.
    func chunk(_ bytes: UnsafeRawBufferPointer, at now: Double, contentType: () -> String?) {
        if !sawContentType {
            sawContentType = true
            if contentType()?.lowercased().contains("text/event-stream") == true {
                record.isEventStream = true
                parser = StreamEventParser()
            }
        }
        let first = record.firstByteMs == nil
        if first { record.firstByteMs = ms(now) }
        if let last = lastChunkAt { record.longestGapMs = max(record.longestGapMs ?? 0, (now - last) * 1000) }
        lastChunkAt = now
        record.chunks += 1
        record.bytes += bytes.count
        if record.chunkArrivalsMs.count < Self.maxEvents { record.chunkArrivalsMs.append(ms(now)) }
        if parser != nil, let names = parser?.feed(bytes) {
            for n in names {
                record.eventCount += 1
                if record.events.count < Self.maxEvents { record.events.append(TimedEvent(type: n, atMs: ms(now))) }
            }
        }
        // A plain chunked body has no events; its chunks are what the watchdog's message counts.
        let total = record.isEventStream ? record.eventCount : record.chunks
        if case .fired(let f)? = watchdog?.data(bytes: bytes.count, events: total, at: now) { fired(f) }
        emitProgress(at: now, force: first)
    }

    /// curl reported the transfer done (whatever its result).
    func finished(at now: Double) {
        if case .fired(let f)? = watchdog?.finished(at: now) { fired(f) }
        if record.fire == nil { record.durationMs = ms(now) }
    }

    /// The poll loop's question: fired now, or when to ask again (the watchdog's deadline, or sooner when
    /// a held-back progress event is due).
    func check(at now: Double) -> StreamWatchdog.Decision {
        guard var w = watchdog else { return .waiting(deadline: nil) }
        let d = w.check(at: now)
        watchdog = w
        switch d {
        case .fired(let f):
            fired(f)
            return d
        case .waiting(let deadline):
            guard progressPending else { return d }
            emitProgress(at: now, force: false)
            guard progressPending else { return d }
            let flushAt = lastProgressAt + watch.progressInterval
            return .waiting(deadline: deadline.map { min($0, flushAt) } ?? flushAt)
        }
    }

    private func fired(_ f: StreamWatchdog.Fire) {
        guard record.fire == nil else { return }
        record.fire = f.record(probe: watch.probe, at: wall(f.firedAt))
        record.durationMs = ms(f.firedAt)
    }

    private func ms(_ t: Double) -> Double { (t - monoStart) * 1000 }
    private func wall(_ t: Double) -> Date { wallStart.addingTimeInterval(t - monoStart) }

    private func emitProgress(at now: Double, force: Bool) {
        guard let sink = watch.progress else { return }
        guard force || now - lastProgressAt >= watch.progressInterval else {
            progressPending = true
            return
        }
        progressPending = false
        lastProgressAt = now
        let limits = watch.limits
        sink(StreamProgress(
            probe: watch.probe, startedAt: wallStart,
            firstByteAt: record.firstByteMs.map { wallStart.addingTimeInterval($0 / 1000) },
            lastDataAt: lastChunkAt.map(wall),
            events: record.isEventStream ? record.eventCount : record.chunks, bytes: record.bytes,
            firstByteWithinMs: limits.firstByteWithin.map { $0 * 1000 }, maxGapMs: limits.maxGap.map { $0 * 1000 },
            finishWithinMs: limits.finishWithin.map { $0 * 1000 }))
    }
}
