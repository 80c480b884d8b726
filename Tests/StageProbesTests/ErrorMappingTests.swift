import CCurl
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import StageModel
import Testing
@testable import StageProbes

#if canImport(Glibc)
import Glibc
#endif

/// The two error tables (curl's codes; NIO's and NIOSSL's errors) decided case by case: which failures
/// are the user's config and which the server's or the network's (docs/config.md, "Failure classes").
@Suite("Error mapping: every curl code and NIO error is the config's or the server's, on purpose")
struct ErrorMappingTests {
    @Test("every CURLcode libcurl defines (1 … CURL_LAST-1) has a rule, and only one")
    func everyCodeDecided() {
        let codes = CurlErrorMapping.rules.map(\.code.rawValue)
        #expect(Set(codes).count == codes.count)
        for raw in 1..<CURL_LAST.rawValue {
            #expect(CurlErrorMapping.rule(CURLcode(rawValue: raw)) != nil, "CURLcode \(raw) has no rule")
        }
    }

    @Test("once a connection existed, only stagetop's own failures can be `config`")
    func serverNeverBlamesConfig() {
        let ownFaults: Set<UInt32> = Set(CurlErrorMapping.rules.filter { $0.blame == .config }.map(\.code.rawValue))
        for rule in CurlErrorMapping.rules where !ownFaults.contains(rule.code.rawValue) {
            #expect(CurlErrorMapping.failureClass(rule.code, reachedServer: true) != .config, "code \(rule.code.rawValue)")
        }
        // And the ones that are `config` are about what we were asked to send, or about stagetop itself.
        for raw in ownFaults {
            let c = CURLcode(rawValue: raw)
            #expect([CURLE_FAILED_INIT, CURLE_URL_MALFORMAT, CURLE_NOT_BUILT_IN, CURLE_COULDNT_RESOLVE_PROXY,
                     CURLE_WRITE_ERROR, CURLE_READ_ERROR, CURLE_HTTP_POST_ERROR, CURLE_FILE_COULDNT_READ_FILE,
                     CURLE_FUNCTION_NOT_FOUND, CURLE_BAD_FUNCTION_ARGUMENT, CURLE_INTERFACE_FAILED, CURLE_UNKNOWN_OPTION,
                     CURLE_SETOPT_OPTION_SYNTAX, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_CERTPROBLEM,
                     CURLE_SSL_ENGINE_INITFAILED, CURLE_RECURSIVE_API_CALL, CURLE_UNRECOVERABLE_POLL].contains(c), "code \(raw)")
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var code: CURLcode
        var reached: Bool
        var curlMessage: String
        var errno: Int32 = 0
        var cls: FailureClass
        var summary: String
        var testDescription: String { "\(code.rawValue) \(reached ? "after" : "before") connecting: \(cls.rawValue)" }
    }

    static let cases: [Case] = [
        Case(code: CURLE_UNSUPPORTED_PROTOCOL, reached: false, curlMessage: "Protocol \"ftp\" not supported or disabled in libcurl",
             cls: .config, summary: "unsupported protocol: Protocol \"ftp\" not supported or disabled in libcurl"),
        Case(code: CURLE_UNSUPPORTED_PROTOCOL, reached: true, curlMessage: "Unsupported HTTP version in response",
             cls: .protocol, summary: "status line is not HTTP: Unsupported HTTP version in response"),
        Case(code: CURLE_UNSUPPORTED_PROTOCOL, reached: true, curlMessage: "Received HTTP/0.9 when not allowed",
             cls: .protocol, summary: "status line is not HTTP (no \"HTTP/1.x NNN\" line)"),
        Case(code: CURLE_UNSUPPORTED_PROTOCOL, reached: true, curlMessage: "Protocol \"ftp\" not supported or disabled in libcurl",
             cls: .redirect, summary: "redirected to a scheme probes do not follow: Protocol \"ftp\" not supported or disabled in libcurl"),
        Case(code: CURLE_OUT_OF_MEMORY, reached: false, curlMessage: "Out of memory", cls: .config, summary: "out of memory"),
        Case(code: CURLE_OUT_OF_MEMORY, reached: true, curlMessage: "Out of memory", cls: .protocol,
             summary: "response header over 100 KB (curl's limit)"),
        Case(code: CURLE_RECV_ERROR, reached: true, curlMessage: "Too large response headers: 307217 > 307200", cls: .protocol,
             summary: "response headers over 300 KB (curl's limit)"),
        Case(code: CURLE_RECV_ERROR, reached: true, curlMessage: "Illegal or missing hexadecimal sequence in chunked-encoding",
             cls: .protocol, summary: "bad chunked encoding: chunk size is not hexadecimal"),
        Case(code: CURLE_RECV_ERROR, reached: true, curlMessage: "Recv failure: Connection reset by peer", errno: ECONNRESET,
             cls: .network, summary: "connection reset by peer"),
        Case(code: CURLE_WEIRD_SERVER_REPLY, reached: true, curlMessage: "Invalid Content-Length: value", cls: .protocol,
             summary: "response breaks HTTP: Invalid Content-Length: value"),
        Case(code: CURLE_BAD_CONTENT_ENCODING, reached: true, curlMessage: "Error while processing content unencoding: invalid code lengths set",
             cls: .protocol, summary: "body does not decode as its Content-Encoding says: Error while processing content unencoding: invalid code lengths set"),
        Case(code: CURLE_COULDNT_CONNECT, reached: false, curlMessage: "Failed to connect", errno: ECONNREFUSED, cls: .network,
             summary: "connection refused"),
        Case(code: CURLE_COULDNT_RESOLVE_HOST, reached: false, curlMessage: "Could not resolve host: nowhere.invalid", cls: .network,
             summary: "could not resolve host: Could not resolve host: nowhere.invalid"),
        Case(code: CURLE_GOT_NOTHING, reached: true, curlMessage: "Empty reply from server", cls: .network, summary: "empty reply from server"),
        Case(code: CURLE_PARTIAL_FILE, reached: true, curlMessage: "transfer closed with 997 bytes remaining to read", cls: .network,
             summary: "connection closed mid-body: transfer closed with 997 bytes remaining to read"),
        Case(code: CURLE_TOO_MANY_REDIRECTS, reached: true, curlMessage: "Maximum (10) redirects followed", cls: .redirect,
             summary: "redirect loop: too many redirects"),
        Case(code: CURLE_PEER_FAILED_VERIFICATION, reached: true, curlMessage: "SSL certificate problem: self-signed certificate",
             cls: .tls, summary: "TLS: SSL certificate problem: self-signed certificate"),
        Case(code: CURLE_SSL_CACERT_BADFILE, reached: false, curlMessage: "error setting certificate file: /nope.pem", cls: .tls,
             summary: "TLS: error setting certificate file: /nope.pem"),
        Case(code: CURLE_SSL_CERTPROBLEM, reached: false, curlMessage: "could not load PEM client certificate", cls: .config,
             summary: "could not load PEM client certificate"),
        Case(code: CURLE_URL_MALFORMAT, reached: false, curlMessage: "URL using bad/illegal format or missing URL", cls: .config,
             summary: "malformed URL: URL using bad/illegal format or missing URL"),
        Case(code: CURLE_HTTP2, reached: true, curlMessage: "Error in the HTTP2 framing layer", cls: .protocol,
             summary: "HTTP/2 framing error: Error in the HTTP2 framing layer"),
        Case(code: CURLE_OPERATION_TIMEDOUT, reached: true, curlMessage: "Operation timed out after 1000 milliseconds", cls: .timeout,
             summary: "timeout: Operation timed out after 1000 milliseconds"),
    ]

    @Test("curl codes with their class and words", arguments: cases)
    func curlCase(_ c: Case) {
        let cls = CurlErrorMapping.failureClass(c.code, reachedServer: c.reached, message: c.curlMessage)
        #expect(cls == c.cls)
        let failure = TransportFailure(code: Int(c.code.rawValue), message: c.curlMessage, failureClass: cls, osErrno: Int(c.errno))
        #expect(failure.summary == c.summary)
        // A server's fault (a connection existed) is a `fail`, never `error`.
        #expect(HTTPProbeRunner.verdict(for: failure) == (cls == .config || c.code == CURLE_COULDNT_RESOLVE_HOST ? .error : .fail))
    }

    @Test("a code newer than the table came off the wire: network")
    func unknownCode() {
        #expect(CurlErrorMapping.failureClass(CURLcode(rawValue: 250), reachedServer: true) == .network)
        #expect(CurlErrorMapping.failureClass(CURLcode(rawValue: 250), reachedServer: false) == .network)
    }

    // MARK: NIO, NIOSSL and the upgrade

    static func classify(_ error: Error, secure: Bool = false, connected: Bool = true) -> WebSocketConnectFailure {
        let clock = HandshakeClock()
        if connected { clock.mark(\.connected) }
        let url = WebSocketURL.parse(secure ? "wss://127.0.0.1:1/ws" : "ws://127.0.0.1:1/ws")!
        return WebSocketEngine.classify(error, clock: clock, request: WebSocketConnectRequest(url: url, headers: [], subprotocols: [],
                                                                                            tls: TLSSettings(), timeout: 1))
    }

    /// Class and message the judge gives a connect failure.
    static func judged(_ f: WebSocketConnectFailure) -> (Verdict, FailureClass?, String) {
        let spec = ProbeSpec(name: "ws", body: .websocket(WebSocketProbeSpec(path: "/ws")), timeout: .s(1))
        let now = Date()
        let attempt = WebSocketAttempt(startedAt: now, finishedAt: now, displayURL: "ws://127.0.0.1:1/ws", connectFailure: f,
                                       redact: TokenRedactor(nil))
        let r = WebSocketJudge.result(attempt, spec: spec)
        return (r.verdict, r.failureClass, r.message)
    }

    @Test("NIO connect errors: refused and reset are network, a connect timeout is timeout")
    func nioConnect() {
        #expect(Self.judged(Self.classify(IOError(errnoCode: ECONNREFUSED, reason: "connect"), connected: false)) == (.fail, .network, "connection refused"))
        #expect(Self.judged(Self.classify(IOError(errnoCode: ECONNRESET, reason: "read"))) == (.fail, .network, "connection reset by peer"))
        #expect(Self.judged(Self.classify(ChannelError.connectTimeout(.seconds(1)), connected: false)) == (.fail, .timeout, "timeout: connect timed out after 1.0 s"))
        #expect(Self.judged(Self.classify(ChannelError.eof)) == (.fail, .network, "connection closed before the upgrade response"))
    }

    @Test("an upgrade answer that is not HTTP is protocol; a 101 without a valid accept is ws_handshake")
    func upgradeErrors() {
        #expect(Self.judged(Self.classify(HTTPParserError.invalidVersion)).1 == .protocol)
        #expect(Self.judged(Self.classify(HTTPParserError.invalidVersion)).2.hasPrefix("upgrade response is not HTTP"))
        #expect(Self.judged(Self.classify(NIOHTTPClientUpgradeError.upgraderDeniedUpgrade))
                == (.fail, .wsHandshake, "handshake invalid: 101 without a valid Sec-WebSocket-Accept"))
        #expect(Self.judged(Self.classify(NIOHTTPClientUpgradeError.responseProtocolNotFound))
                == (.fail, .wsHandshake, "handshake invalid: 101 without Upgrade: websocket"))
    }

    @Test("NIOSSL errors are tls, in words; a TLS connection closed mid-handshake too")
    func tlsErrors() {
        let (v, c, m) = Self.judged(Self.classify(NIOSSLError.uncleanShutdown, secure: true))
        #expect(v == .fail && c == .tls)
        #expect(m == "TLS: connection closed without close_notify")
        #expect(Self.judged(Self.classify(ChannelError.eof, secure: true)) == (.fail, .tls, "TLS: connection closed during the handshake"))
    }

    @Test("frames: close codes allowed on the wire, and the ones a server must never send")
    func closeCodes() {
        for code in [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999] {
            #expect(WebSocketFrameHandler.isSendableCloseCode(code), "\(code)")
        }
        for code in [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535] {
            #expect(!WebSocketFrameHandler.isSendableCloseCode(code), "\(code)")
        }
        var oneByte = ByteBuffer(); oneByte.writeInteger(UInt8(3))
        #expect(WebSocketFrameHandler.closePayloadProblem(oneByte) == "close frame with a 1-byte payload")
        var badReason = ByteBuffer(); badReason.writeInteger(UInt16(1000)); badReason.writeBytes([0xff, 0xfe])
        #expect(WebSocketFrameHandler.closePayloadProblem(badReason) == "close reason is not valid UTF-8")
        #expect(WebSocketFrameHandler.closePayloadProblem(ByteBuffer()) == nil)
    }

    @Test("stream failures: broken frames and bad UTF-8 are protocol; limits and ping timeouts are ws_close; socket errors network")
    func streamFailures() {
        #expect(WebSocketStepRunner.streamFailure(.protocolError("x"), sentCode: 1002, waitingFor: nil).failureClass == .protocol)
        #expect(WebSocketStepRunner.streamFailure(.invalidUTF8, sentCode: 1007, waitingFor: nil).failureClass == .protocol)
        #expect(WebSocketStepRunner.streamFailure(.messageTooBig("big"), sentCode: 1009, waitingFor: nil).failureClass == .wsClose)
        #expect(WebSocketStepRunner.streamFailure(.pingTimeout(seconds: 2), sentCode: 1001, waitingFor: nil).failureClass == .wsClose)
        #expect(WebSocketStepRunner.streamFailure(.io("connection reset by peer"), sentCode: nil, waitingFor: nil).failureClass == .network)
    }
}
