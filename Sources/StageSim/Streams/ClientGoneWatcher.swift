import NIOCore

/// Tells a silent event stream that its client has gone. Hummingbird allows remote half-closure, so a
/// client that hangs up on a stream only produces an `inputClosed` event: the channel stays open for
/// writing, and a stream that writes nothing (`noFirstByte`, `stallAfter`) would never find out. One
/// of these sits in every plain-HTTP connection's pipeline (Hummingbird's `additionalChannelHandlers`)
/// and fires `gone` on that event or when the channel goes inactive.
final class ClientGoneWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    let gone = OneShotEvent()

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed { gone.fire() }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        gone.fire()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        gone.fire()
    }
}

/// A request's view of its connection: enough to wait for the client to leave.
struct ClientConnection: Sendable {
    let channel: any Channel

    /// Fires when the client has hung up; nil if this connection has no watcher (never on HTTP/1).
    func goneEvent() async -> OneShotEvent? {
        let channel = channel
        return try? await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.handler(type: ClientGoneWatcher.self).gone
        }.get()
    }
}
