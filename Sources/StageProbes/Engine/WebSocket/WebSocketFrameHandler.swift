import Foundation
import NIOCore
import NIOWebSocket

/// What the step runner and the holder read from an open connection. Every event carries the moment the
/// event loop saw it, so event timings do not include the time a message waited to be consumed.
enum WebSocketInbound: Sendable {
    case text(String, at: NIODeadline)
    case binary(bytes: Int, at: NIODeadline)
    /// A pong answering our ping, with its round-trip time.
    case pong(rttMs: Double, at: NIODeadline)
    /// The server's close frame. `code` is nil when the frame had no status (1005).
    case closeFrame(code: Int?, reason: String, at: NIODeadline)
    /// We ended the connection: the server broke a limit or the protocol, stopped answering pings, or the
    /// socket failed. `sentCode` is the close code we sent (nil when the socket was already gone).
    case failed(WebSocketStreamFailure, sentCode: Int?, at: NIODeadline)
    /// A deadline armed through `WebSocketControl.setDeadline` passed.
    case deadline(UInt64)
}

enum WebSocketStreamFailure: Sendable, Equatable {
    case messageTooBig(String)
    case protocolError(String)
    case invalidUTF8
    case pingTimeout(seconds: Double)
    case io(String)

    var text: String {
        switch self {
        case .messageTooBig(let s): s
        case .protocolError(let s): "protocol error: \(s)"
        case .invalidUTF8: "text message is not valid UTF-8"
        case .pingTimeout(let s): String(format: "no pong for %.1f s", s)
        case .io(let s): s
        }
    }
}

/// Messages for the server, in order with each other (through the async channel's writer).
enum WebSocketOutbound: Sendable {
    case text(String)
    case close(code: Int, reason: String)
}

/// Timers and pings for one connection, run on its event loop. `execute` keeps calls from one task in
/// order, so re-arming a deadline can never be overtaken by the arm it replaces, and nothing here waits
/// behind a socket the server does not drain.
final class WebSocketControl: Sendable {
    private let loop: EventLoop
    private let handler: NIOLoopBound<WebSocketFrameHandler>

    init(handler: WebSocketFrameHandler, loop: EventLoop) {
        self.loop = loop
        self.handler = NIOLoopBound(handler, eventLoop: loop)
    }

    /// Arms (or with nil, disarms) the one deadline; when it passes, `.deadline(id)` arrives inbound.
    func setDeadline(_ at: NIODeadline?, id: UInt64) {
        let h = handler
        loop.execute { h.value.setDeadline(at, id: id) }
    }

    /// Pings every `interval` (nil stops); two unanswered pings in a row end the connection.
    func keepalive(_ interval: TimeAmount?) {
        let h = handler
        loop.execute { h.value.setKeepalive(interval) }
    }

    func ping() {
        let h = handler
        loop.execute { h.value.pingNow() }
    }
}

/// Frames ↔ probe events, on the event loop; the last handler of the pipeline. It answers pings, times
/// pongs, completes the close handshake and turns limit and protocol violations into one close frame plus
/// one `.failed` event, so nothing a server sends can surface as an uncaught error. Events go to the
/// `WebSocketEventPipe`; the pipe learns the end at channelInactive, after the event that explains it.
final class WebSocketFrameHandler: ChannelDuplexHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundIn = WebSocketOutbound
    typealias OutboundOut = WebSocketFrame

    private let limits: WebSocketLimits
    private let pipe: WebSocketEventPipe
    private var context: ChannelHandlerContext?
    private var pingCounter: UInt64 = 0
    private var outstandingPing: (payload: UInt64, sentAt: NIODeadline)?
    private var missedPongs = 0
    private var keepaliveInterval: TimeAmount?
    private var keepaliveTask: Scheduled<Void>?
    private var deadlineTask: Scheduled<Void>?
    private var closeSent = false
    private var closeReceived = false
    private var failed = false
    /// The latest ping of this read, answered at the end of the read (see channelRead).
    private var pendingPong: ByteBuffer?

    init(limits: WebSocketLimits, pipe: WebSocketEventPipe) { self.limits = limits; self.pipe = pipe }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if !context.channel.isActive { pipe.finish() }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimers()
        self.context = nil
        pipe.finish()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimers()
        pipe.finish()
        context.fireChannelInactive()
    }

    /// The server closed its side (half-closure is on, see PeerHalfCloseHandler). Every frame it sent has
    /// been read by now, so if a close frame came it was handled; either way the connection is over.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let e = event as? ChannelEvent, e == .inputClosed {
            context.close(promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    // MARK: inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = Self.unwrapInboundIn(data)
        let now = NIODeadline.now()
        if frame.rsv1 || frame.rsv2 || frame.rsv3 {
            // No extension was negotiated (we offer none), so a reserved bit means the bytes are not frames.
            fail(context, .protocolError("reserved bits set in a frame header (no extension was negotiated)"), code: 1002)
            return
        }
        switch frame.opcode {
        case .text:
            let bytes = frame.unmaskedData.readableBytesView
            guard let text = String(validating: bytes, as: UTF8.self) else {
                fail(context, .invalidUTF8, code: 1007)
                return
            }
            pipe.push(.text(text, at: now))
        case .binary:
            pipe.push(.binary(bytes: frame.length, at: now))
        case .ping:
            // Answered once per read, with the latest ping's payload (RFC 6455 §5.5.3 allows it): a server
            // flooding pings would otherwise cost a write per ping and keep the loop from our deadlines.
            guard !closeSent else { return }
            pendingPong = frame.unmaskedData
        case .pong:
            var data = frame.unmaskedData
            guard let outstanding = outstandingPing, data.readInteger(as: UInt64.self) == outstanding.payload else { return }
            outstandingPing = nil
            missedPongs = 0
            let rtt = Double((now - outstanding.sentAt).nanoseconds) / 1_000_000
            pipe.push(.pong(rttMs: rtt, at: now))
        case .connectionClose:
            receivedClose(context, frame, at: now)
        default:
            // Reserved opcodes are rejected by the decoder; a stray continuation by the aggregator.
            fail(context, .protocolError("unexpected opcode \(frame.opcode)"), code: 1002)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if let payload = pendingPong {
            pendingPong = nil
            // A server that floods pings and never reads would fill our write buffer with pongs: skip
            // while the socket is backed up; the next read brings another ping anyway.
            if !closeSent, context.channel.isWritable {
                let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: payload)
                context.writeAndFlush(Self.wrapOutboundOut(pong), promise: nil)
            }
        }
        context.fireChannelReadComplete()
    }

    private func receivedClose(_ context: ChannelHandlerContext, _ frame: WebSocketFrame, at now: NIODeadline) {
        guard !closeReceived else { return }
        closeReceived = true
        var data = frame.unmaskedData
        if let problem = Self.closePayloadProblem(data) {
            closeReceived = false
            fail(context, .protocolError(problem), code: 1002)
            return
        }
        var code: Int?
        if let raw = data.readInteger(as: UInt16.self) { code = Int(raw) }
        let reason = data.readString(length: data.readableBytes) ?? ""
        pipe.push(.closeFrame(code: code, reason: reason, at: now))
        if closeSent {
            context.close(promise: nil)
        } else {
            // Complete the closing handshake (RFC 6455 §5.5.1), echoing the code, then drop the socket.
            closeSent = true
            var payload = context.channel.allocator.buffer(capacity: 2)
            payload.writeInteger(UInt16(code ?? 1000))
            let reply = WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: payload)
            let loopBound = context.loopBound
            context.writeAndFlush(Self.wrapOutboundOut(reply)).whenComplete { _ in
                loopBound.value.close(promise: nil)
            }
        }
    }

    /// RFC 6455 §5.5.1 and §7.4: a close payload is empty or a 2-byte code plus UTF-8; 1005, 1006 and 1015
    /// are reserved for reports and never sent; codes below 1000, 1016–2999 (unassigned) and 5000+ are not
    /// allowed. A server that sends one broke the protocol, and the close says so instead of passing as normal.
    static func closePayloadProblem(_ payload: ByteBuffer) -> String? {
        var data = payload
        if data.readableBytes == 1 { return "close frame with a 1-byte payload" }
        guard let raw = data.readInteger(as: UInt16.self) else { return nil }
        let code = Int(raw)
        if !isSendableCloseCode(code) { return "close code \(code) is not allowed on the wire" }
        if String(validating: data.readableBytesView, as: UTF8.self) == nil { return "close reason is not valid UTF-8" }
        return nil
    }

    static func isSendableCloseCode(_ code: Int) -> Bool {
        switch code {
        case 1000...1003, 1007...1014: true
        case 3000...4999: true
        default: false
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        switch error {
        case NIOWebSocketError.invalidFrameLength:
            fail(context, .messageTooBig("frame larger than \(Self.bytes(limits.maxFrameSize))"), code: 1009)
        case NIOWebSocketFrameAggregator.Error.accumulatedFrameSizeIsTooLarge:
            fail(context, .messageTooBig("message larger than \(Self.bytes(limits.maxMessageSize))"), code: 1009)
        case NIOWebSocketFrameAggregator.Error.tooManyFragments:
            fail(context, .messageTooBig("message in more than \(limits.maxFragments) fragments"), code: 1009)
        case let e as NIOWebSocketError:
            fail(context, .protocolError("\(e)"), code: 1002)
        case let e as NIOWebSocketFrameAggregator.Error:
            fail(context, .protocolError("\(e)"), code: 1002)
        default:
            fail(context, .io(Self.describe(error)), code: nil)
        }
    }

    /// One failure per connection: tell the consumer, send our close code if the socket still works, close.
    private func fail(_ context: ChannelHandlerContext, _ failure: WebSocketStreamFailure, code: Int?) {
        guard !failed else { return }
        failed = true
        cancelTimers()
        let sendCode = (closeSent || !context.channel.isActive) ? nil : code
        pipe.push(.failed(failure, sentCode: sendCode, at: .now()))
        if let sendCode {
            closeSent = true
            var payload = context.channel.allocator.buffer(capacity: 2)
            payload.writeInteger(UInt16(sendCode))
            let frame = WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: payload)
            let loopBound = context.loopBound
            context.writeAndFlush(Self.wrapOutboundOut(frame)).whenComplete { _ in
                loopBound.value.close(promise: nil)
            }
        } else {
            context.close(promise: nil)
        }
    }

    // MARK: outbound

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch Self.unwrapOutboundIn(data) {
        case .text(let text):
            guard !closeSent else { promise?.succeed(()); return }
            let frame = WebSocketFrame(fin: true, opcode: .text, maskKey: .random(),
                                       data: context.channel.allocator.buffer(string: text))
            context.write(Self.wrapOutboundOut(frame), promise: promise)
        case .close(let code, let reason):
            guard !closeSent else { promise?.succeed(()); return }
            closeSent = true
            var payload = context.channel.allocator.buffer(capacity: 2 + reason.utf8.count)
            payload.writeInteger(UInt16(code))
            payload.writeString(reason)
            let frame = WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: payload)
            if closeReceived {
                // Theirs came first: ours completes the handshake, and the socket can go.
                let loopBound = context.loopBound
                context.writeAndFlush(Self.wrapOutboundOut(frame)).whenComplete { _ in loopBound.value.close(promise: nil) }
                promise?.succeed(())
            } else {
                context.write(Self.wrapOutboundOut(frame), promise: promise)
            }
        }
    }

    func setDeadline(_ at: NIODeadline?, id: UInt64) {
        deadlineTask?.cancel()
        deadlineTask = nil
        guard let at, let context else { return }
        let pipe = self.pipe
        deadlineTask = context.eventLoop.assumeIsolated().scheduleTask(deadline: at) {
            pipe.push(.deadline(id))
        }
    }

    func setKeepalive(_ interval: TimeAmount?) {
        keepaliveTask?.cancel()
        keepaliveTask = nil
        keepaliveInterval = interval
        if let context, interval != nil { scheduleKeepalive(context) }
    }

    func pingNow() {
        if let context { sendPing(context) }
    }

    private func sendPing(_ context: ChannelHandlerContext) {
        guard !closeSent, context.channel.isActive else { return }
        pingCounter &+= 1
        var payload = context.channel.allocator.buffer(capacity: 8)
        payload.writeInteger(pingCounter)
        outstandingPing = (pingCounter, .now())
        let frame = WebSocketFrame(fin: true, opcode: .ping, maskKey: .random(), data: payload)
        context.writeAndFlush(Self.wrapOutboundOut(frame), promise: nil)
    }

    private func scheduleKeepalive(_ context: ChannelHandlerContext) {
        guard let interval = keepaliveInterval else { return }
        let loopBound = context.loopBound
        keepaliveTask = context.eventLoop.assumeIsolated().scheduleTask(in: interval) { [self] in
            let context = loopBound.value
            if outstandingPing != nil {
                missedPongs += 1
                if missedPongs >= 2 {
                    // Two intervals of silence: the peer (or the path) is gone even if TCP has not noticed.
                    fail(context, .pingTimeout(seconds: Double(interval.nanoseconds) * 2 / 1e9), code: 1001)
                    return
                }
            }
            sendPing(context)
            scheduleKeepalive(context)
        }
    }

    private func cancelTimers() {
        keepaliveTask?.cancel(); keepaliveTask = nil
        deadlineTask?.cancel(); deadlineTask = nil
    }

    static func bytes(_ n: Int) -> String {
        if n >= 1 << 20, n % (1 << 20) == 0 { return "\(n >> 20) MiB" }
        if n >= 1 << 10, n % (1 << 10) == 0 { return "\(n >> 10) KiB" }
        return "\(n) B"
    }

    /// "connection reset by peer" rather than NIO's type dump.
    static func describe(_ error: Error) -> String {
        if let io = error as? IOError {
            switch io.errnoCode {
            case ECONNRESET: return "connection reset by peer"
            case EPIPE: return "connection closed by peer"
            case ETIMEDOUT: return "connection timed out"
            default: return String(cString: strerror(io.errnoCode))
            }
        }
        if let c = error as? ChannelError {
            switch c {
            case .eof, .outputClosed, .ioOnClosedChannel, .alreadyClosed: return "connection closed"
            default: return "\(c)"
            }
        }
        return "\(error)"
    }
}

@available(*, unavailable)
extension WebSocketFrameHandler: Sendable {}
