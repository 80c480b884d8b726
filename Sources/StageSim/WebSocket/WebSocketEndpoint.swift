import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// `/ws` (GitHub issue 4 item 5): decides each upgrade request, then hands the connection to a
/// `WebSocketSession`. Upgrade requests never reach `SimResponder`; plain HTTP never reaches here.
struct WebSocketEndpoint: Sendable {
    /// Names the client for `WSFaults.maxConcurrent` (see `WebSocketSession.client`).
    static let clientHeader = HTTPFields.Element.Name("X-Stagetop-Probe")!  // as AuthHandlers.bypassKeyHeader

    typealias Handler = WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>

    static let path = "/ws"
    /// Frames and messages above 1 MiB are refused (close 1009), as any production server would.
    static let maxMessageBytes = 1 << 20
    /// After the server sends a close frame it waits this long for the client's before dropping the
    /// TCP connection; short, so a client that never answers cannot keep a closed socket around.
    static let closeTimeout: Duration = .seconds(1)

    static let configuration = HTTP1WebSocketUpgradeChannel.Configuration(
        // Plain HTTP connections only (Hummingbird installs these after deciding not to upgrade).
        http1: .init(additionalChannelHandlers: [ClientGoneWatcher()]),
        ws: WebSocketServerConfiguration(
            maxFrameSize: maxMessageBytes,
            // Staging's server did not ping; a probe holding a socket open must not be closed for
            // missing pongs it was never asked for.
            autoPing: .disabled,
            closeTimeout: closeTimeout))

    let core: SimCore

    func shouldUpgrade(_ request: HTTPRequest, channel: any Channel) async -> ShouldUpgradeResult<Handler> {
        let target = WebSocketPath(request.path ?? "/")
        guard target.path == Self.path || target.path == Self.path + "/" else {
            await HandshakeRefusal.send(status: 404, detail: "Not Found", on: channel)
            return .dontUpgrade
        }
        // The faults of the moment of the handshake stay with the connection, so a control request
        // changes new connections only (as a redeploy would).
        let faults = core.state.withLock { $0.wsFaults }
        if let status = faults.handshakeStatus {
            await HandshakeRefusal.send(status: status, detail: SimResponses.reasonPhrase(status), on: channel)
            return .dontUpgrade
        }
        if core.stopping.hasFired {
            await HandshakeRefusal.send(status: 503, detail: "Simulator is stopping", on: channel)
            return .dontUpgrade
        }

        let credentials = WebSocketCredentials(request: request)
        var headers = HTTPFields()
        if let offered = credentials.offeredProtocol, !faults.noSubprotocolEcho {
            // Echoed whether or not the token is good: the client must get far enough to read the
            // error_message and the 1008, which is what staging showed (report 001).
            headers[.secWebSocketProtocol] = offered
        }
        let client = request.headerFields[Self.clientHeader] ?? ""
        let session = WebSocketSession(core: core, faults: faults, credentials: credentials, client: client)
        return .upgrade(headers) { inbound, outbound, _ in
            await session.run(inbound: inbound, outbound: outbound)
        }
    }
}
