import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket
import StageModel

/// The one event loop group every WebSocket probe shares (1–2 threads carry thousands of held-open
/// connections), plus the TLS contexts built from the config. Create one per process; `shutdown()` at exit.
public final class WebSocketEngine: Sendable {
    let group: MultiThreadedEventLoopGroup
    public let limits: WebSocketLimits
    private let tlsContexts = Locked<[TLSKey: NIOSSLContext]>([:])
    private let stopped = Locked(false)

    private struct TLSKey: Hashable { var caFile: String?; var insecure: Bool }

    public init(threads: Int = 1, limits: WebSocketLimits = .default) {
        group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, min(threads, 2)))
        self.limits = limits
    }

    /// Closes every connection and stops the threads. Connects after this fail as `network`.
    public func shutdown() async {
        guard stopped.withLock({ let was = $0; $0 = true; return !was }) else { return }
        try? await group.shutdownGracefully()
    }

    var isShutDown: Bool { stopped.withLock { $0 } }

    /// Built once per (ca_file, insecure): creating a context parses the trust store.
    func tlsContext(_ tls: TLSSettings) throws -> NIOSSLContext {
        let key = TLSKey(caFile: tls.caFile, insecure: tls.insecure)  // server_name is per connection (SNI), not per context
        if let c = tlsContexts.withLock({ $0[key] }) { return c }
        var config = TLSConfiguration.makeClientConfiguration()
        if let ca = tls.caFile { config.trustRoots = .file(ca) }
        if tls.insecure { config.certificateVerification = .none }
        let context = try NIOSSLContext(configuration: config)
        tlsContexts.withLock { $0[key] = context }
        return context
    }
}

/// One upgrade request, fully resolved (the token already placed where the auth mode says).
struct WebSocketConnectRequest: Sendable {
    var url: WebSocketURL
    var headers: HeaderList
    var subprotocols: [String]
    var tls: TLSSettings
    /// Limit for TCP connect + TLS + the upgrade response, seconds.
    var timeout: Double
}

/// Why there is no open connection, with what was learnt on the way.
enum WebSocketConnectFailure: Error, Sendable {
    case refused(WebSocketRefusal, timings: Timings)
    /// A 101 that is not a valid WebSocket upgrade (bad Sec-WebSocket-Accept, no Upgrade header).
    case badUpgrade(String, timings: Timings)
    case timeout(String, timings: Timings)
    case network(String, timings: Timings)
    case resolve(String)
    case tls(String, timings: Timings)
    /// The answer to the upgrade request is not HTTP: the server broke the protocol.
    case protocolViolation(String, timings: Timings)
    case config(String)
}

/// The typed upgrader's two outcomes: an open WebSocket, or the refusal being collected.
enum WebSocketUpgradeOutcome: Sendable {
    case upgraded(Channel, WebSocketEventPipe, WebSocketControl, HTTPResponseHead)
    case refused(EventLoopFuture<WebSocketRefusal>)
}

extension WebSocketEngine {
    /// Connects and upgrades. Never throws: every way it can fail is a `WebSocketConnectFailure`.
    func connect(_ request: WebSocketConnectRequest) async -> Result<WebSocketConnection, WebSocketConnectFailure> {
        guard !isShutDown else { return .failure(.network("engine shut down", timings: Timings())) }
        let clock = HandshakeClock()
        let timeout = TimeAmount.nanoseconds(Int64(max(0.001, request.timeout) * 1e9))
        let deadline = clock.start + timeout
        var ssl: NIOSSLContext?
        if request.url.secure {
            do { ssl = try tlsContext(request.tls) } catch {
                return .failure(.tls("TLS setup: \(error)", timings: Timings()))
            }
        }
        let sslContext = ssl
        let limits = self.limits
        let host = request.url.host
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            // EOF must not close the channel under a running upgrade: see PeerHalfCloseHandler.
            .channelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            // Small first reads: held-open connections mostly receive pongs, and 10,000 of them must fit in
            // 200 MB. The allocator grows for bigger messages.
            .channelOption(ChannelOptions.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 512, maximum: 65536))

        let outcome: WebSocketUpgradeOutcome
        do {
            let negotiated: EventLoopFuture<WebSocketUpgradeOutcome> = try await bootstrap.connect(host: host, port: request.url.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try Self.configurePipeline(channel, request: request, limits: limits, sslContext: sslContext,
                                               clock: clock, deadline: deadline)
                }
            }
            outcome = try await negotiated.get()
        } catch {
            return .failure(Self.classify(error, clock: clock, request: request))
        }

        switch outcome {
        case .upgraded(let channel, let pipe, let control, let head):
            let marks = clock.snapshot
            let timings = Self.timings(marks, clock: clock)
            var handshake = WebSocketHandshakeInfo(
                status: Int(head.status.code), headers: head.headers.map { (name: $0.name, value: $0.value) },
                subprotocol: head.headers.first(name: "Sec-WebSocket-Protocol")?.trimmingCharacters(in: .whitespaces),
                timings: timings, handshakeMs: timings.ttfb ?? timings.total, start: clock.start,
                remoteIP: channel.remoteAddress?.ipAddress)
            handshake.certificateNotAfter = marks.certificateNotAfter
            return .success(WebSocketConnection(channel: channel, pipe: pipe, control: control, handshake: handshake))
        case .refused(let future):
            do {
                let refusal = try await future.get()
                return .failure(.refused(refusal, timings: Self.timings(clock.snapshot, clock: clock)))
            } catch {
                if clock.snapshot.timedOut {
                    return .failure(.timeout(String(format: "no upgrade response within %.1f s", request.timeout),
                                             timings: Self.timings(clock.snapshot, clock: clock)))
                }
                return .failure(.network("connection closed during the upgrade response", timings: Self.timings(clock.snapshot, clock: clock)))
            }
        }
    }

    private static func configurePipeline(_ channel: Channel, request: WebSocketConnectRequest, limits: WebSocketLimits,
                                          sslContext: NIOSSLContext?, clock: HandshakeClock,
                                          deadline: NIODeadline) throws -> EventLoopFuture<WebSocketUpgradeOutcome> {
        let ops = channel.pipeline.syncOperations
        if let sslContext {
            // SNI must not carry an IP address; NIOSSL then verifies the peer against the socket address.
            // tls.server_name: SNI and the certificate check use it while we connect to the URL's host.
            let name = request.tls.serverName ?? request.url.host
            let sni = isIPAddress(name) ? nil : name
            try ops.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: sni))
        }
        // After the TLS handler: its handshake-completed event travels towards the tail.
        try ops.addHandler(HandshakeTimingHandler(clock: clock))
        try ops.addHandler(PeerHalfCloseHandler())
        let upgrader = NIOTypedWebSocketClientUpgrader<WebSocketUpgradeOutcome>(
            maxFrameSize: limits.maxFrameSize,
            // Our frame handler answers protocol errors itself, so each failure yields one close frame and one event.
            enableAutomaticErrorHandling: false
        ) { channel, head in
            channel.eventLoop.makeCompletedFuture {
                clock.mark(\.upgraded)
                let ops = channel.pipeline.syncOperations
                let pipe = WebSocketEventPipe(channel: channel, highWatermark: limits.bufferedMessages)
                try ops.addHandler(WebSocketFragmentMeter(pipe: pipe))
                try ops.addHandler(NIOWebSocketFrameAggregator(
                    minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: limits.maxFragments,
                    maxAccumulatedFrameSize: limits.maxMessageSize))
                let handler = WebSocketFrameHandler(limits: limits, pipe: pipe)
                try ops.addHandler(handler)
                return .upgraded(channel, pipe, WebSocketControl(handler: handler, loop: channel.eventLoop), head)
            }
        }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: request.tls.serverName ?? request.url.hostHeader)
        headers.add(name: "User-Agent", value: "stagetop")
        for h in request.headers { headers.add(name: h.name, value: h.value) }
        if !request.subprotocols.isEmpty {
            headers.add(name: "Sec-WebSocket-Protocol", value: request.subprotocols.joined(separator: ", "))
        }
        // The upgrade handler sends an (empty) body part; a length keeps the encoder from chunking it.
        headers.add(name: "Content-Length", value: "0")
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: request.url.requestTarget, headers: headers)
        let config = NIOTypedHTTPClientUpgradeConfiguration<WebSocketUpgradeOutcome>(
            upgradeRequestHead: head, upgraders: [upgrader],
            notUpgradingCompletionHandler: { channel in
                channel.eventLoop.makeCompletedFuture {
                    let promise = channel.eventLoop.makePromise(of: WebSocketRefusal.self)
                    try channel.pipeline.syncOperations.addHandler(
                        HandshakeRefusalCollector(promise: promise, bodyLimit: limits.handshakeBodyBytes, clock: clock))
                    return .refused(promise.futureResult)
                }
            })
        var pipelineConfig = NIOUpgradableHTTPClientPipelineConfiguration(upgradeConfiguration: config)
        // NIO's default drops bytes that arrive in the same read as the 101: a server that sends its welcome
        // (or its 1011) right behind the upgrade response would look like a missing event.
        pipelineConfig.leftOverBytesStrategy = .forwardBytes
        let negotiated = try ops.configureUpgradableHTTPClientPipeline(configuration: pipelineConfig)

        // The connect timeout covers TCP only; this covers TLS, the upgrade response and a refusal's body.
        let timer = channel.eventLoop.scheduleTask(deadline: deadline) {
            clock.markTimedOut()
            channel.close(promise: nil)
        }
        negotiated.whenComplete { result in
            switch result {
            case .success(.refused(let body)): body.whenComplete { _ in timer.cancel() }
            default: timer.cancel()
            }
        }
        return negotiated
    }

    static func timings(_ m: HandshakeClock.Marks, clock: HandshakeClock) -> Timings {
        let connected = m.connected.map(clock.ms) ?? 0
        let tls = m.tlsDone.map { clock.ms($0) - connected } ?? 0
        let upgraded = m.upgraded.map(clock.ms)
        return Timings(dns: 0, connect: connected, tls: max(0, tls), ttfb: upgraded, total: upgraded ?? 0)
    }

    static func classify(_ error: Error, clock: HandshakeClock, request: WebSocketConnectRequest) -> WebSocketConnectFailure {
        let marks = clock.snapshot
        let t = timings(marks, clock: clock)
        if marks.timedOut {
            let phase: String
            if marks.connected == nil { phase = "connect" }
            else if request.url.secure && marks.tlsDone == nil { phase = "TLS handshake" }
            else { phase = "upgrade response" }
            return .timeout(String(format: "no %@ within %.1f s", phase, request.timeout), timings: t)
        }
        switch error {
        case ChannelError.connectTimeout:
            return .timeout(String(format: "connect timed out after %.1f s", request.timeout), timings: t)
        case let e as NIOConnectionError:
            if e.connectionErrors.isEmpty, let dns = e.dnsAError ?? e.dnsAAAAError {
                return .resolve("could not resolve host \(e.host): \(dns)")
            }
            if let first = e.connectionErrors.first?.error {
                if case ChannelError.connectTimeout = first {
                    return .timeout(String(format: "connect timed out after %.1f s", request.timeout), timings: t)
                }
                return .network(connectErrorText(first), timings: t)
            }
            return .network("could not connect to \(e.host):\(e.port)", timings: t)
        case let e as IOError:
            return .network(connectErrorText(e), timings: t)
        case let e as NIOHTTPClientUpgradeError:
            if e == .upgraderDeniedUpgrade { return .badUpgrade("101 without a valid Sec-WebSocket-Accept", timings: t) }
            if e == .responseProtocolNotFound { return .badUpgrade("101 without Upgrade: websocket", timings: t) }
            return .badUpgrade("malformed upgrade response (\(e))", timings: t)
        case let e as HTTPParserError:
            return .protocolViolation("upgrade response is not HTTP (\(e))", timings: t)
        case is NIOSSLError, is BoringSSLError, is NIOSSLExtraError:
            return .tls(tlsText(error), timings: t)
        case ChannelError.inappropriateOperationForState, ChannelError.eof, ChannelError.ioOnClosedChannel,
             ChannelError.alreadyClosed:
            // The upgrade handler reports a connection that closed before any response this way.
            if request.url.secure && marks.tlsDone == nil && marks.connected != nil {
                return .tls("TLS: connection closed during the handshake", timings: t)
            }
            return .network("connection closed before the upgrade response", timings: t)
        default:
            return .network(WebSocketFrameHandler.describe(error), timings: t)
        }
    }

    /// "TLS handshake failed: certificate verify failed" from BoringSSL's
    /// "handshakeFailed(…sslError([Error: … SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at …]))".
    static func tlsText(_ error: Error) -> String {
        let text = "\(error)"
        if let r = text.range(of: #"OPENSSL_internal:([A-Z0-9_]+)"#, options: .regularExpression) {
            let reason = text[r].dropFirst("OPENSSL_internal:".count).replacingOccurrences(of: "_", with: " ").lowercased()
            return (text.hasPrefix("handshakeFailed") ? "TLS handshake failed: " : "TLS: ") + reason
        }
        if case NIOSSLError.uncleanShutdown? = error as? NIOSSLError { return "TLS: connection closed without close_notify" }
        return "TLS: \(text)"
    }

    static func connectErrorText(_ error: Error) -> String {
        if let io = error as? IOError {
            switch io.errnoCode {
            case ECONNREFUSED: return "connection refused"
            case ECONNRESET: return "connection reset by peer"
            case ENETUNREACH: return "network unreachable"
            case EHOSTUNREACH: return "host unreachable"
            case ETIMEDOUT: return "connect timed out"
            default: return String(cString: strerror(io.errnoCode))
            }
        }
        return WebSocketFrameHandler.describe(error)
    }

    static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}
