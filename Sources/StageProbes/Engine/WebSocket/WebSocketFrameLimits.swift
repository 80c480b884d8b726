/// Bounds on what a WebSocket server can make us hold in memory. A probe talks to servers that are, by
/// definition, misbehaving: an oversize frame or message must end as a classified failure (`ws_close`
/// 1009), never as an allocation that takes the dashboard down.
public struct WebSocketLimits: Sendable, Equatable {
    /// Largest single frame accepted (NIO's decoder checks the length header before buffering the payload).
    public var maxFrameSize: Int
    /// Largest message reassembled from fragments.
    public var maxMessageSize: Int
    /// Most fragments one message may arrive in (a flood of 1-byte fragments costs more than their bytes).
    public var maxFragments: Int
    /// Messages buffered between the socket and the step runner before NIO stops reading (backpressure).
    public var bufferedMessages: Int
    /// Bytes of a refused handshake's body kept for the message and detail view.
    public var handshakeBodyBytes: Int
    /// Characters of a received message quoted in a failure message.
    public var quotedMessageChars: Int

    public init(maxFrameSize: Int = 1 << 20, maxMessageSize: Int = 4 << 20, maxFragments: Int = 1024,
                bufferedMessages: Int = 16, handshakeBodyBytes: Int = 4096, quotedMessageChars: Int = 120) {
        self.maxFrameSize = maxFrameSize; self.maxMessageSize = maxMessageSize; self.maxFragments = maxFragments
        self.bufferedMessages = bufferedMessages; self.handshakeBodyBytes = handshakeBodyBytes
        self.quotedMessageChars = quotedMessageChars
    }

    public static let `default` = WebSocketLimits()
}
