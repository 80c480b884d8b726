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
    /// The address connected to ([IP]).
    var remoteIP: String? = nil
    /// wss: the server certificate's notAfter ([CERTIFICATE_EXPIRATION]).
    var certificateNotAfter: Date? = nil

    func ms(since d: NIODeadline) -> Double { Double((d - start).nanoseconds) / 1_000_000 }
}

/// An upgraded connection. `run` gives one task scoped access and closes the socket when it returns, unless
/// the task `detach`ed it (held-open probes), so a connection cannot outlive the code that uses it by accident.
final class WebSocketConnection: Sendable {
    let channel: Channel
    let pipe: WebSocketEventPipe
    let control: WebSocketControl
    let handshake: WebSocketHandshakeInfo

    init(channel: Channel, pipe: WebSocketEventPipe, control: WebSocketControl, handshake: WebSocketHandshakeInfo) {
        self.channel = channel; self.pipe = pipe; self.control = control; self.handshake = handshake
    }

    /// Runs `body` with the open connection, then closes it unless the body detached it. `hardDeadline` closes
    /// the socket from the event loop while the body runs, even if it is stuck in a write the server never drains.
    func run<R: Sendable>(hardDeadline: NIODeadline? = nil, _ body: (WebSocketSession) async -> R) async -> R {
        let channel = self.channel
        let guardTask = hardDeadline.map { d in channel.eventLoop.scheduleTask(deadline: d) { channel.close(promise: nil) } }
        let session = WebSocketSession(connection: self)
        let result = await body(session)
        guardTask?.cancel()
        if !session.detached { await close() }
        return result
    }

    /// Closes the socket (no close frame) and waits until it is closed.
    func close() async {
        channel.close(promise: nil)
        try? await channel.closeFuture.get()
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

    let connection: WebSocketConnection
    var handshake: WebSocketHandshakeInfo { connection.handshake }
    private var deadlineID: UInt64 = 0
    private var armed = false
    private(set) var ended = false
    private(set) var closeSent = false
    private(set) var detached = false

    init(connection: WebSocketConnection) { self.connection = connection }

    /// The next event, or `.deadline` once `deadline` passes (nil: wait as long as the connection lives).
    func next(until deadline: NIODeadline?) async -> Next {
        if ended || detached { return .ended }
        deadlineID &+= 1
        let id = deadlineID
        if let deadline {
            if deadline <= .now() { return .deadline }
            connection.control.setDeadline(deadline, id: id)
            armed = true
        } else if armed {
            armed = false
            connection.control.setDeadline(nil, id: id)
        }
        while true {
            guard let event = await connection.pipe.next() else { ended = true; return .ended }
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
        do { try await connection.channel.writeAndFlush(WebSocketOutbound.text(text)).get(); return true } catch { return false }
    }

    func ping() { connection.control.ping() }

    func keepalive(every seconds: Double?) {
        connection.control.keepalive(seconds.map { .nanoseconds(Int64($0 * 1e9)) })
    }

    /// Sends our close frame and waits (briefly) for the server's, so the server sees a clean close, not a reset.
    /// The wait is a courtesy after the verdict is known: a healthy server answers in milliseconds, and one
    /// that does not must not stretch the probe past its timeout (a quarter second, at most).
    func close(code: Int = 1000, reason: String = "", wait: Double = 0.25) async {
        guard !ended, !closeSent, !detached else { return }
        closeSent = true
        do {
            try await connection.channel.writeAndFlush(WebSocketOutbound.close(code: code, reason: reason)).get()
        } catch { return }
        let until = NIODeadline.now() + .nanoseconds(Int64(wait * 1e9))
        while true {
            switch await next(until: until) {
            case .event(.closeFrame), .event(.failed), .deadline, .ended: return
            case .event: continue
            }
        }
    }

    /// Keeps the connection open after `run` returns; from now on its events go to `sink` on the event loop
    /// (then nil once, when it ends). The calling task can finish: a held connection needs no task.
    func detach(_ sink: @escaping WebSocketEventPipe.Sink) {
        guard !detached else { return }
        detached = true
        if armed { connection.control.setDeadline(nil, id: deadlineID &+ 1) }
        connection.pipe.detach(sink)
    }
}
