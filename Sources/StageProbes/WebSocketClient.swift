import Foundation
import NIOCore
import StageModel

/// What the upgrade response said. `subprotocol` is the raw echo; results show it through `TokenRedactor`.
struct WebSocketHandshakeInfo: Sendable {
    var status: Int
    var headers: HeaderList
    var subprotocol: String?
    /// connect, tls and ttfb (= 101 arrival, from the start like curl's STARTTRANSFER) in ms.
    var timings: Timings
    var handshakeMs: Double
    /// When the attempt began; event times are measured from here.
    var start: NIODeadline

    func ms(since d: NIODeadline) -> Double { Double((d - start).nanoseconds) / 1_000_000 }
}

/// An upgraded connection. `run` gives one task scoped access and closes the socket when it returns, so a
/// connection cannot outlive the code that uses it.
final class WebSocketConnection: Sendable {
    private let channel: NIOAsyncChannel<WebSocketInbound, WebSocketOutbound>
    private let control: WebSocketControl
    let handshake: WebSocketHandshakeInfo

    init(channel: NIOAsyncChannel<WebSocketInbound, WebSocketOutbound>, control: WebSocketControl,
         handshake: WebSocketHandshakeInfo) {
        self.channel = channel; self.control = control; self.handshake = handshake
    }

    /// Runs `body` with the open connection, then closes it. `hardDeadline` closes the socket from the event
    /// loop even if the body is stuck in a write the server never drains.
    func run<R: Sendable>(hardDeadline: NIODeadline? = nil, _ body: (WebSocketSession) async -> R) async -> R? {
        let raw = channel.channel
        let guardTask = hardDeadline.map { d in raw.eventLoop.scheduleTask(deadline: d) { raw.close(promise: nil) } }
        defer { guardTask?.cancel() }
        let handshake = self.handshake, control = self.control
        return try? await channel.executeThenClose { inbound, outbound in
            let session = WebSocketSession(iterator: inbound.makeAsyncIterator(), outbound: outbound,
                                           control: control, handshake: handshake)
            return await body(session)
        }
    }

    /// Drops the connection without a close frame (a probe that must not run its steps).
    func abandon() async {
        _ = await run { session in await session.close(code: 1002, reason: "", wait: 0.2) }
    }
}

/// One task's view of an open connection: the next event or a deadline, sends, and a polite close.
final class WebSocketSession {
    enum Next {
        case event(WebSocketInbound)
        case deadline
        /// The connection is gone (closed, failed or cancelled); an earlier event said why, if any did.
        case ended
    }

    private var iterator: NIOAsyncChannelInboundStream<WebSocketInbound>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<WebSocketOutbound>
    private let control: WebSocketControl
    let handshake: WebSocketHandshakeInfo
    private var deadlineID: UInt64 = 0
    private var armed = false
    private(set) var ended = false
    private(set) var closeSent = false

    init(iterator: NIOAsyncChannelInboundStream<WebSocketInbound>.AsyncIterator,
         outbound: NIOAsyncChannelOutboundWriter<WebSocketOutbound>, control: WebSocketControl,
         handshake: WebSocketHandshakeInfo) {
        self.iterator = iterator; self.outbound = outbound; self.control = control; self.handshake = handshake
    }

    /// The next event, or `.deadline` once `deadline` passes (nil: wait as long as the connection lives).
    func next(until deadline: NIODeadline?) async -> Next {
        if ended { return .ended }
        deadlineID &+= 1
        let id = deadlineID
        if let deadline {
            if deadline <= .now() { return .deadline }
            control.setDeadline(deadline, id: id)
            armed = true
        } else if armed {
            armed = false
            control.setDeadline(nil, id: id)
        }
        while true {
            let event: WebSocketInbound?
            do { event = try await iterator.next() } catch { event = nil }
            guard let event else { ended = true; return .ended }
            if case .deadline(let fired) = event {
                if fired == id { armed = false; return .deadline }
                continue // left over from an earlier wait
            }
            return .event(event)
        }
    }

    /// Sends a text message; false when the connection can no longer take it.
    @discardableResult
    func send(_ text: String) async -> Bool {
        do { try await outbound.write(.text(text)); return true } catch { return false }
    }

    func ping() { control.ping() }

    func keepalive(every seconds: Double?) {
        control.keepalive(seconds.map { .nanoseconds(Int64($0 * 1e9)) })
    }

    /// Sends our close frame and waits (briefly) for the server's, so the server sees a clean close, not a reset.
    func close(code: Int = 1000, reason: String = "", wait: Double = 1) async {
        guard !ended, !closeSent else { return }
        closeSent = true
        do { try await outbound.write(.close(code: code, reason: reason)) } catch { return }
        let until = NIODeadline.now() + .nanoseconds(Int64(wait * 1e9))
        while true {
            switch await next(until: until) {
            case .event(.closeFrame), .event(.failed), .deadline, .ended: return
            case .event: continue
            }
        }
    }
}
