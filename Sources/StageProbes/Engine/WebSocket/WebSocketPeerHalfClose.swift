import NIOCore

/// Lets the frames a server sent just ahead of its FIN reach the frame handler before the connection ends.
///
/// Why this exists: a server may answer the upgrade with 101, a close frame (1011 on connect) and FIN in
/// one burst. NIO removes the HTTP decoder on the *next* loop tick after it parsed the 101, and the frame
/// bytes behind the 101 are handed on only then. Without half-closure the EOF closes the channel first;
/// with it, the decoder sees `inputClosed` first and its last decode drops those bytes. Either way the
/// close frame is lost and a 1011 reads as 1006 (every time against such a server, measured). So the
/// bootstrap allows remote half-closure, and this handler, first in the pipeline after TLS, holds the
/// `inputClosed` event back for `hold` so that the upgrade completes and the buffered frames are read;
/// then passes it on (the frame handler closes on it) and, as a backstop for states where nobody acts on
/// it, closes the channel `backstop` later. Nothing can arrive on a connection whose input is closed, so
/// the delay never hides data; it only delays a 1006 verdict by `hold`.
final class PeerHalfCloseHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    static let hold: TimeAmount = .milliseconds(20)
    static let backstop: TimeAmount = .milliseconds(200)

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let e = event as? ChannelEvent, e == .inputClosed else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        let loop = context.eventLoop.assumeIsolated()
        loop.scheduleTask(in: Self.hold) {
            context.fireUserInboundEventTriggered(event)
        }
        let channel = context.channel
        loop.scheduleTask(in: Self.hold + Self.backstop) {
            channel.close(promise: nil)
        }
    }
}
