import StageModel
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// A refused upgrade as the server sent it: the reports' 403 is a finding only if we can show it.
struct WebSocketRefusal: Sendable {
    var status: Int
    var reasonPhrase: String
    var headers: [(name: String, value: String)]
    /// At most `WebSocketLimits.handshakeBodyBytes` of the body.
    var body: [UInt8]
}

/// Collects the response to an upgrade request that was not answered with 101. NIO's typed upgrader hands
/// a non-101 response to the not-upgrading path and then replays it down the pipeline, where this handler
/// (added by that path) keeps the head and the start of the body.
final class HandshakeRefusalCollector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let promise: EventLoopPromise<WebSocketRefusal>
    private let bodyLimit: Int
    private let clock: HandshakeClock
    private var head: HTTPResponseHead?
    private var body: [UInt8] = []
    private var done = false

    init(promise: EventLoopPromise<WebSocketRefusal>, bodyLimit: Int, clock: HandshakeClock) {
        self.promise = promise; self.bodyLimit = bodyLimit; self.clock = clock
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let h):
            // The response's arrival is the refusal's ttfb, as the 101's is an upgrade's.
            clock.mark(\.upgraded)
            head = h
        case .body(let buffer):
            let room = bodyLimit - body.count
            if room > 0 { body += buffer.readableBytesView.prefix(room) }
        case .end:
            finish(context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(context)
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // The server closed its side: an EOF-delimited body is complete (the decoder has flushed it).
        if let e = event as? ChannelEvent, e == .inputClosed { finish(context) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A body cut short still leaves a status worth reporting.
        finish(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if !done { done = true; promise.fail(ChannelError.ioOnClosedChannel) }
    }

    private func finish(_ context: ChannelHandlerContext) {
        guard !done else { return }
        done = true
        if let head {
            promise.succeed(WebSocketRefusal(status: Int(head.status.code), reasonPhrase: head.status.reasonPhrase,
                                             headers: head.headers.map { (name: $0.name, value: $0.value) }, body: body))
        } else {
            promise.fail(ChannelError.eof)
        }
        // Nothing more to learn from this connection.
        context.close(promise: nil)
    }
}

/// Moments of one connection attempt, written from the event loop, read by the task that awaits it.
final class HandshakeClock: Sendable {
    struct Marks: Sendable {
        var start: NIODeadline
        var connected: NIODeadline?
        var tlsDone: NIODeadline?
        /// The upgrade response's head arrived (a 101, or the refusal).
        var upgraded: NIODeadline?
        var timedOut = false
        /// wss: the server certificate's notAfter, read when the TLS handshake completed (later the server
        /// may already have closed and the TLS handler be gone).
        var certificateNotAfter: Date?
    }

    private let marks: Locked<Marks>

    init(start: NIODeadline = .now()) { marks = Locked(Marks(start: start)) }

    var start: NIODeadline { marks.withLock { $0.start } }
    var snapshot: Marks { marks.withLock { $0 } }

    func mark(_ keyPath: WritableKeyPath<Marks, NIODeadline?> & Sendable) {
        let now = NIODeadline.now()
        marks.withLock { if $0[keyPath: keyPath] == nil { $0[keyPath: keyPath] = now } }
    }

    func markTimedOut() { marks.withLock { $0.timedOut = true } }

    func certificate(notAfter: Date?) { marks.withLock { $0.certificateNotAfter = notAfter } }

    /// Milliseconds from the start of the attempt to `d`.
    func ms(_ d: NIODeadline) -> Double { Double((d - start).nanoseconds) / 1_000_000 }
}

/// Marks TCP connect and TLS handshake completion on the `HandshakeClock`.
final class HandshakeTimingHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let clock: HandshakeClock

    init(clock: HandshakeClock) { self.clock = clock }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { clock.mark(\.connected) }
    }

    func channelActive(context: ChannelHandlerContext) {
        clock.mark(\.connected)
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // `TLSUserEvent` lives in NIOTLS, which StageProbes does not depend on directly; its case name is stable.
        if String(describing: type(of: event)) == "TLSUserEvent", "\(event)".hasPrefix("handshakeCompleted") {
            clock.mark(\.tlsDone)
            let peer = try? context.pipeline.syncOperations.handler(type: NIOSSLHandler.self).peerCertificate
            clock.certificate(notAfter: peer.map { Date(timeIntervalSince1970: Double($0.notValidAfter)) })
        }
        context.fireUserInboundEventTriggered(event)
    }
}
