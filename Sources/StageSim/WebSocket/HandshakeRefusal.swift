import NIOCore
import NIOHTTP1

/// Refuses a WebSocket upgrade with a status of our choosing (report 000's 403).
///
/// HummingbirdWebSocket answers every refused upgrade 400, and its `additionalChannelHandlers` are
/// only installed after the upgrader has decided (on the not-upgrading path), so they cannot sit in
/// front of it. But `shouldUpgrade` is handed the channel while the upgrader waits for its answer, with
/// NIO's HTTP response encoder still in the pipeline: we write the whole response there, close the
/// channel, and only then answer "don't upgrade". NIO's typed upgrader treats "connection closed
/// before an upgrader was found" as a normal end (its state machine returns no action), and
/// Hummingbird's handler for the failed-upgrade result finds the channel closed and writes nothing.
/// No new package product is needed: NIOHTTP1 types only.
enum HandshakeRefusal {
    static func send(status: Int, detail: String, on channel: any Channel) async {
        let body = ByteBuffer(string: JSON.object([("detail", .string(detail))]).serialized())
        let headers = HTTPHeaders([
            ("Content-Type", "application/json"),
            ("Content-Length", String(body.readableBytes)),
            ("Connection", "close"),
            ("Server", "stagetop-sim"),
        ])
        let head = HTTPResponseHead(
            version: .http1_1,
            status: HTTPResponseStatus(statusCode: status, reasonPhrase: SimResponses.reasonPhrase(status)),
            headers: headers)
        channel.write(HTTPServerResponsePart.head(head), promise: nil)
        channel.write(HTTPServerResponsePart.body(.byteBuffer(body)), promise: nil)
        // Errors mean the client is already gone; there is nobody left to refuse.
        try? await channel.writeAndFlush(HTTPServerResponsePart.end(nil)).get()
        try? await channel.close().get()
    }
}
