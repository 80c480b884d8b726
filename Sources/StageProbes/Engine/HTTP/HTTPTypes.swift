import Foundation
import StageModel

/// One HTTP request for `CurlEngine`. Plain values only: the engine turns it into an easy handle on its own thread.
public struct HTTPRequest: Sendable {
    public var url: String
    public var method: String
    /// Sent in this order. An empty value is sent as an empty header (curl's `Name;` form).
    public var headers: HeaderList
    public var body: [UInt8]?
    /// Off by default: a probe must see a 307 as a 307 (the seeds' health-check redirect is a finding).
    public var followRedirects: Bool
    /// Whole-transfer limit, seconds.
    public var timeout: Double
    public var connectTimeout: Double?
    /// Bytes of body kept; the rest is counted, not stored.
    public var maxBodyBytes: Int
    public var tls: TLSSettings
    /// curl --resolve entries, "host:port:address".
    public var resolve: [String]
    /// false forces a fresh connection (and closes it afterwards), as a separate `curl` process would.
    public var reuseConnection: Bool
    /// A long-lived transfer (an event stream) ends when less than a byte a second arrives for this long.
    public var idleTimeout: Double?
    /// Sees every body chunk as it arrives, on the engine's thread (keep it cheap): for event streams.
    public var onBody: (@Sendable ([UInt8]) -> Void)?
    /// Read the server certificate's notAfter when this transfer does a TLS handshake (the header's
    /// expiry warning); a reused connection reports none.
    public var certificateInfo = false
    /// Read it on every run ([CERTIFICATE_EXPIRATION]): curl only reports certificates for a transfer that
    /// did the handshake, so such a request opens a new connection (as gatus does).
    public var certificateExpiry = false

    public init(url: String, method: String = "GET", headers: HeaderList = [], body: [UInt8]? = nil,
                followRedirects: Bool = false, timeout: Double = 5, connectTimeout: Double? = nil,
                maxBodyBytes: Int = 64 * 1024, tls: TLSSettings = TLSSettings(), resolve: [String] = [],
                reuseConnection: Bool = true) {
        self.url = url; self.method = method; self.headers = headers; self.body = body
        self.followRedirects = followRedirects; self.timeout = timeout; self.connectTimeout = connectTimeout
        self.maxBodyBytes = maxBodyBytes; self.tls = tls; self.resolve = resolve; self.reuseConnection = reuseConnection
    }
}

/// What came back. Headers are the *last* response's (after followed redirects), in wire order.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HeaderList
    /// At most `maxBodyBytes` of the body.
    public var body: [UInt8]
    /// The real body size received (decoded size as curl delivered it).
    public var bodyBytes: Int
    public var truncated: Bool
    public var timings: Timings
    /// Where a 3xx points (curl's CURLINFO_REDIRECT_URL, absolute), when not followed.
    public var redirectURL: String?
    /// "1.0", "1.1", "2", "3".
    public var httpVersion: String
    public var effectiveURL: String
    /// Connections curl had to open for this transfer (0 when it reused a kept-alive one).
    public var newConnections: Int
    /// The reason phrase of the last status line, empty for HTTP/2+.
    public var reasonPhrase: String
    /// The address the response came from (curl's CURLINFO_PRIMARY_IP), for [IP].
    public var remoteIP: String?
    /// The server certificate's notAfter, when the request asked for it and the connection was TLS.
    public var certificateNotAfter: Date?

    public init(status: Int, headers: HeaderList = [], body: [UInt8] = [], bodyBytes: Int = 0, truncated: Bool = false,
                timings: Timings = Timings(), redirectURL: String? = nil, httpVersion: String = "1.1",
                effectiveURL: String = "", newConnections: Int = 0, reasonPhrase: String = "", remoteIP: String? = nil) {
        self.status = status; self.headers = headers; self.body = body; self.bodyBytes = bodyBytes
        self.truncated = truncated; self.timings = timings; self.redirectURL = redirectURL
        self.httpVersion = httpVersion; self.effectiveURL = effectiveURL; self.newConnections = newConnections
        self.reasonPhrase = reasonPhrase; self.remoteIP = remoteIP
    }

    /// First value of a header, case-insensitively.
    public func header(_ name: String) -> String? { HeaderFields.value(of: name, in: headers) }
}

/// A request that produced no HTTP response at all.
public struct TransportFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The raw `CURLcode` (0 for failures of our own: cancellation, engine shut down).
    public var code: Int
    /// curl's error buffer, or curl_easy_strerror when the buffer is empty.
    public var message: String
    public var failureClass: FailureClass
    /// The awaiting task was cancelled (or the engine shut down) before the transfer finished.
    public var cancelled: Bool
    /// The OS error behind it (CURLINFO_OS_ERRNO), 0 when none: curl's text says "Couldn't connect to
    /// server" for a refusal, the errno says ECONNREFUSED.
    public var osErrno: Int
    /// Timings up to the failure (a timeout still tells how long DNS and connect took).
    public var timings: Timings
    /// The status line received before the failure (a body cut short after `200 OK`); nil when none came.
    public var status: Int?
    /// The response was chunked (`Transfer-Encoding: chunked`), so a cut means the final chunk never came.
    public var chunked = false
    /// How far the response got before the failure: its header block ended (the blank line came), and the
    /// body bytes received. A timeout then says what the server was still doing.
    public var headersComplete = false
    public var bodyBytes = 0
    /// Any byte of a response arrived (a status line, or part of one).
    public var responseStarted = false

    /// The connection ended before the body did (curl: partial file, receive error, HTTP/2 stream error).
    /// A receive error that is the server breaking HTTP (bad chunking) is not a cut.
    public var isCutShort: Bool { [18, 56, 92].contains(code) && failureClass != .protocol }

    public init(code: Int, message: String, failureClass: FailureClass, cancelled: Bool = false, osErrno: Int = 0,
                timings: Timings = Timings()) {
        self.code = code; self.message = message; self.failureClass = failureClass; self.cancelled = cancelled
        self.osErrno = osErrno; self.timings = timings
    }

    public var description: String { "curl error \(code): \(message)" }

    /// A short lower-case summary for a probe message: "connection refused", "empty reply from server".
    public var summary: String { CurlErrorMapping.summary(self) }
}

extension CertificateExpiry {
    /// The certificate a transfer to `url` reported, under the URL's host; nil when there was none.
    init?(url: String, notAfter: Date?) {
        guard let notAfter, let host = URLComponents(string: url)?.host, !host.isEmpty else { return nil }
        self.init(host: host, notAfter: notAfter)
    }
}
