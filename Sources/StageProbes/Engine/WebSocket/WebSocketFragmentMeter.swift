import NIOCore
import NIOWebSocket

/// Sits in front of the frame aggregator, which hides a message until its last fragment: a server that
/// starts a message and never finishes it would otherwise look like silence ("welcome not received"). It
/// only counts; limits stay with the aggregator (WebSocketFrameLimits.swift).
final class WebSocketFragmentMeter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame

    private let pipe: WebSocketEventPipe

    init(pipe: WebSocketEventPipe) { self.pipe = pipe }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = Self.unwrapInboundIn(data)
        switch frame.opcode {
        case .text, .binary:
            pipe.noteFragment(bytes: frame.length, final: frame.fin, continuation: false)
        case .continuation:
            pipe.noteFragment(bytes: frame.length, final: frame.fin, continuation: true)
        default:
            break
        }
        context.fireChannelRead(data)
    }
}

@available(*, unavailable)
extension WebSocketFragmentMeter: Sendable {}
