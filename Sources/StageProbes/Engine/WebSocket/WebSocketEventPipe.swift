import StageModel
import NIOCore

/// Carries the frame handler's events to whoever listens: one task awaiting `next()` while steps run, or,
/// once a held-open connection has `detach`ed, a callback run on the event loop.
///
/// Why not NIOAsyncChannel: its consumer is a task that must stay suspended for as long as the connection
/// lives, and a suspended task keeps its async stack at the high-water mark of everything it ran (the steps,
/// the judging): about 32 KB per held connection, 320 MB for 10,000. Detached, a held connection costs its
/// channel and a few hundred bytes here.
///
/// Backpressure: past `highWatermark` buffered events reading from the socket stops (`autoRead`), and it
/// resumes once the consumer has taken the buffer down to `lowWatermark`.
final class WebSocketEventPipe: Sendable {
    /// Called with each event, then once with nil when the connection has ended.
    typealias Sink = @Sendable (WebSocketInbound?) -> Void

    private struct State {
        var buffer = CircularBuffer<WebSocketInbound>(initialCapacity: 4)
        var waiter: CheckedContinuation<WebSocketInbound?, Never>?
        var ended = false
        var cancelled = false
        var paused = false
        var sink: Sink?
        /// A fragmented message still arriving: its bytes and fragments so far (0, 0 when none is).
        var partialBytes = 0
        var partialFragments = 0
    }

    private let state = Locked(State())
    private let channel: Channel
    private let highWatermark: Int
    private let lowWatermark: Int

    init(channel: Channel, highWatermark: Int) {
        self.channel = channel
        self.highWatermark = max(2, highWatermark)
        self.lowWatermark = max(1, highWatermark / 4)
    }

    // MARK: producer (the event loop)

    /// A data frame or continuation arrived before the aggregator: keeps a count of a message that has
    /// started and not finished, so a step that times out can say that one was still arriving.
    func noteFragment(bytes: Int, final: Bool, continuation: Bool) {
        state.withLock { s in
            if final {
                s.partialBytes = 0; s.partialFragments = 0
            } else {
                if !continuation { s.partialBytes = 0; s.partialFragments = 0 }
                s.partialBytes += bytes; s.partialFragments += 1
            }
        }
    }

    /// The message still being reassembled, if any: (bytes, fragments).
    var partialMessage: (bytes: Int, fragments: Int)? {
        state.withLock { s in s.partialFragments > 0 ? (s.partialBytes, s.partialFragments) : nil }
    }

    private enum PushAction {
        case none, sink(Sink), resume(CheckedContinuation<WebSocketInbound?, Never>), pause
    }

    func push(_ event: WebSocketInbound) {
        let action = state.withLock { s -> PushAction in
            if s.ended { return .none }
            if let sink = s.sink { return .sink(sink) }
            if let w = s.waiter {
                s.waiter = nil
                return .resume(w)
            }
            s.buffer.append(event)
            if s.buffer.count >= highWatermark, !s.paused {
                s.paused = true
                return .pause
            }
            return .none
        }
        switch action {
        case .none: break
        case .sink(let sink): sink(event)
        case .resume(let w): w.resume(returning: event)
        case .pause: channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
        }
    }

    /// The connection is gone: a waiting consumer (after any buffered events) or the sink learns it once.
    func finish() {
        let (waiter, sink) = state.withLock { s -> (CheckedContinuation<WebSocketInbound?, Never>?, Sink?) in
            guard !s.ended else { return (nil, nil) }
            s.ended = true
            let w = s.buffer.isEmpty ? s.waiter : nil
            if w != nil { s.waiter = nil }
            let sink = s.sink
            // Dropping the sink breaks the holder → connection → pipe → sink cycle.
            s.sink = nil
            return (w, sink)
        }
        waiter?.resume(returning: nil)
        sink?(nil)
    }

    // MARK: consumer (one task)

    /// The next event; nil when the connection has ended or the awaiting task was cancelled.
    func next() async -> WebSocketInbound? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<WebSocketInbound?, Never>) in
                enum Take { case value(WebSocketInbound, resume: Bool), end, wait }
                let take = state.withLock { s -> Take in
                    if let e = s.buffer.popFirst() {
                        let resume = s.paused && s.buffer.count <= lowWatermark
                        if resume { s.paused = false }
                        return .value(e, resume: resume)
                    }
                    if s.ended || s.cancelled { return .end }
                    s.waiter = c
                    return .wait
                }
                switch take {
                case .value(let e, let resume):
                    if resume { channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in } }
                    c.resume(returning: e)
                case .end:
                    c.resume(returning: nil)
                case .wait:
                    break
                }
            }
        } onCancel: {
            let w = state.withLock { s -> CheckedContinuation<WebSocketInbound?, Never>? in
                s.cancelled = true
                let w = s.waiter
                s.waiter = nil
                return w
            }
            w?.resume(returning: nil)
        }
    }

    /// From now on events go to `sink` on the event loop (buffered ones first, in order); no task waits.
    func detach(_ sink: @escaping Sink) {
        channel.eventLoop.execute { [self] in
            let (pending, ended, resume) = state.withLock { s -> ([WebSocketInbound], Bool, Bool) in
                let pending = Array(s.buffer)
                s.buffer.removeAll()
                let resume = s.paused
                s.paused = false
                if !s.ended { s.sink = sink }
                return (pending, s.ended, resume)
            }
            for e in pending { sink(e) }
            if ended { sink(nil) }
            if resume { channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in } }
        }
    }
}
