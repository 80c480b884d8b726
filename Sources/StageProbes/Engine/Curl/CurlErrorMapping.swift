import CCurl
import Foundation
import StageModel

/// Every `CURLcode` libcurl can return, each decided on purpose: is it the user's config (or stagetop
/// itself) that kept the probe from running — `error`/`config` — or did the server or the network do it —
/// `fail` with `network`, `tls`, `timeout`, `redirect` or `protocol`? A server's fault must never read as
/// the user's: that is the dishonest signal stagetop exists to end (docs/config.md, "Failure classes").
///
/// Some codes mean different things before and after the request reached a server: "unsupported protocol"
/// is a `ftp://` in the config before a connection, and a status line that is not HTTP after one; "out of
/// memory" after the server answered is curl refusing a header line over its 100 KB limit. Those rules are
/// `.configUnlessConnected`, and the server-side words come from `serverSide`.
enum CurlErrorMapping {
    enum Blame: Equatable, Sendable {
        /// The config (a malformed URL, a scheme curl cannot speak) or stagetop itself: the probe did not run.
        case config
        /// `config` before any connection was made; after one, the server broke the protocol.
        case configUnlessConnected
        case network, tls, timeout, redirect
        /// The server's response broke HTTP's rules.
        case `protocol`
    }

    struct Rule: Sendable {
        let code: CURLcode
        let blame: Blame
        /// Words for the message when curl's own need help; nil keeps curl's error text.
        let words: String?
        init(_ code: CURLcode, _ blame: Blame, _ words: String? = nil) { self.code = code; self.blame = blame; self.words = words }
    }

    /// The table, in `CURLcode` order. Codes of protocols stagetop never asks curl to speak (FTP, LDAP, TFTP,
    /// SSH, RTSP, QUIC) are listed too, so nothing falls through a default: if one ever came back it came off
    /// the wire, so it is `network`.
    static let rules: [Rule] = [
        Rule(CURLE_UNSUPPORTED_PROTOCOL, .configUnlessConnected),
        Rule(CURLE_FAILED_INIT, .config, "curl could not start the transfer"),
        Rule(CURLE_URL_MALFORMAT, .config),
        Rule(CURLE_NOT_BUILT_IN, .config, "this libcurl lacks a feature the probe needs"),
        Rule(CURLE_COULDNT_RESOLVE_PROXY, .config, "could not resolve the proxy"),
        Rule(CURLE_COULDNT_RESOLVE_HOST, .network),
        Rule(CURLE_COULDNT_CONNECT, .network),
        Rule(CURLE_WEIRD_SERVER_REPLY, .protocol, "response breaks HTTP"),
        Rule(CURLE_REMOTE_ACCESS_DENIED, .network),
        Rule(CURLE_FTP_ACCEPT_FAILED, .network),
        Rule(CURLE_FTP_WEIRD_PASS_REPLY, .network),
        Rule(CURLE_FTP_ACCEPT_TIMEOUT, .timeout),
        Rule(CURLE_FTP_WEIRD_PASV_REPLY, .network),
        Rule(CURLE_FTP_WEIRD_227_FORMAT, .network),
        Rule(CURLE_FTP_CANT_GET_HOST, .network),
        Rule(CURLE_HTTP2, .protocol, "HTTP/2 framing error"),
        Rule(CURLE_FTP_COULDNT_SET_TYPE, .network),
        Rule(CURLE_PARTIAL_FILE, .network),
        Rule(CURLE_FTP_COULDNT_RETR_FILE, .network),
        Rule(CURLE_OBSOLETE20, .network),
        Rule(CURLE_QUOTE_ERROR, .network),
        // stagetop judges statuses itself and never sets CURLOPT_FAILONERROR.
        Rule(CURLE_HTTP_RETURNED_ERROR, .protocol, "HTTP error status"),
        // Our write callbacks always take every byte; a short write is stagetop's own fault.
        Rule(CURLE_WRITE_ERROR, .config, "stagetop could not take the response body"),
        Rule(CURLE_OBSOLETE24, .network),
        Rule(CURLE_UPLOAD_FAILED, .network, "upload refused"),
        Rule(CURLE_READ_ERROR, .config, "stagetop could not read the request body"),
        Rule(CURLE_OUT_OF_MEMORY, .configUnlessConnected),
        Rule(CURLE_OPERATION_TIMEDOUT, .timeout),
        Rule(CURLE_OBSOLETE29, .network),
        Rule(CURLE_FTP_PORT_FAILED, .network),
        Rule(CURLE_FTP_COULDNT_USE_REST, .network),
        Rule(CURLE_OBSOLETE32, .network),
        Rule(CURLE_RANGE_ERROR, .protocol, "server ignored the range request"),
        Rule(CURLE_HTTP_POST_ERROR, .config, "stagetop could not send the request body"),
        Rule(CURLE_SSL_CONNECT_ERROR, .tls),
        Rule(CURLE_BAD_DOWNLOAD_RESUME, .network),
        Rule(CURLE_FILE_COULDNT_READ_FILE, .config, "could not read a file the probe names"),
        Rule(CURLE_LDAP_CANNOT_BIND, .network),
        Rule(CURLE_LDAP_SEARCH_FAILED, .network),
        Rule(CURLE_OBSOLETE40, .network),
        Rule(CURLE_FUNCTION_NOT_FOUND, .config),
        // Only our progress callback aborts, and only when the probe is cancelled.
        Rule(CURLE_ABORTED_BY_CALLBACK, .network, "cancelled"),
        Rule(CURLE_BAD_FUNCTION_ARGUMENT, .config),
        Rule(CURLE_OBSOLETE44, .network),
        Rule(CURLE_INTERFACE_FAILED, .config, "could not bind the configured interface"),
        Rule(CURLE_OBSOLETE46, .network),
        // Only reachable with follow_redirects: a loop is a redirect problem, not a network one.
        Rule(CURLE_TOO_MANY_REDIRECTS, .redirect, "redirect loop: too many redirects"),
        Rule(CURLE_UNKNOWN_OPTION, .config),
        Rule(CURLE_SETOPT_OPTION_SYNTAX, .config),
        Rule(CURLE_OBSOLETE50, .network),
        Rule(CURLE_OBSOLETE51, .network),
        Rule(CURLE_GOT_NOTHING, .network, "empty reply from server"),
        Rule(CURLE_SSL_ENGINE_NOTFOUND, .config, "TLS: crypto engine not found"),
        Rule(CURLE_SSL_ENGINE_SETFAILED, .config, "TLS: crypto engine could not be set"),
        Rule(CURLE_SEND_ERROR, .network),
        Rule(CURLE_RECV_ERROR, .network),
        Rule(CURLE_OBSOLETE57, .network),
        // The configured client certificate or key is unusable: the config's fault, before any server.
        Rule(CURLE_SSL_CERTPROBLEM, .config),
        Rule(CURLE_SSL_CIPHER, .tls),
        Rule(CURLE_PEER_FAILED_VERIFICATION, .tls),
        Rule(CURLE_BAD_CONTENT_ENCODING, .protocol, "body does not decode as its Content-Encoding says"),
        Rule(CURLE_OBSOLETE62, .network),
        Rule(CURLE_FILESIZE_EXCEEDED, .protocol, "response larger than allowed"),
        Rule(CURLE_USE_SSL_FAILED, .tls),
        Rule(CURLE_SEND_FAIL_REWIND, .network, "server asked to resend the body; it could not be rewound"),
        Rule(CURLE_SSL_ENGINE_INITFAILED, .config, "TLS: crypto engine failed to start"),
        Rule(CURLE_LOGIN_DENIED, .network),
        Rule(CURLE_TFTP_NOTFOUND, .network),
        Rule(CURLE_TFTP_PERM, .network),
        Rule(CURLE_REMOTE_DISK_FULL, .network),
        Rule(CURLE_TFTP_ILLEGAL, .network),
        Rule(CURLE_TFTP_UNKNOWNID, .network),
        Rule(CURLE_REMOTE_FILE_EXISTS, .network),
        Rule(CURLE_TFTP_NOSUCHUSER, .network),
        Rule(CURLE_OBSOLETE75, .network),
        Rule(CURLE_OBSOLETE76, .network),
        // The config's `ca_file` is missing or unreadable. Kept `tls` (as before, and as WebSocket probes
        // report it): the message names the file.
        Rule(CURLE_SSL_CACERT_BADFILE, .tls),
        Rule(CURLE_REMOTE_FILE_NOT_FOUND, .network),
        Rule(CURLE_SSH, .network),
        Rule(CURLE_SSL_SHUTDOWN_FAILED, .tls),
        Rule(CURLE_AGAIN, .network),
        Rule(CURLE_SSL_CRL_BADFILE, .tls),
        Rule(CURLE_SSL_ISSUER_ERROR, .tls),
        Rule(CURLE_FTP_PRET_FAILED, .network),
        Rule(CURLE_RTSP_CSEQ_ERROR, .network),
        Rule(CURLE_RTSP_SESSION_ERROR, .network),
        Rule(CURLE_FTP_BAD_FILE_LIST, .network),
        Rule(CURLE_CHUNK_FAILED, .network),
        Rule(CURLE_NO_CONNECTION_AVAILABLE, .network, "no connection available"),
        Rule(CURLE_SSL_PINNEDPUBKEYNOTMATCH, .tls),
        Rule(CURLE_SSL_INVALIDCERTSTATUS, .tls),
        Rule(CURLE_HTTP2_STREAM, .network),
        Rule(CURLE_RECURSIVE_API_CALL, .config, "stagetop misused libcurl"),
        Rule(CURLE_AUTH_ERROR, .network),
        Rule(CURLE_HTTP3, .protocol, "HTTP/3 error"),
        Rule(CURLE_QUIC_CONNECT_ERROR, .network),
        Rule(CURLE_PROXY, .network),
        Rule(CURLE_SSL_CLIENTCERT, .tls, "TLS: server requires a client certificate"),
        Rule(CURLE_UNRECOVERABLE_POLL, .config, "stagetop's poll failed"),
    ]

    private static let byCode: [UInt32: Rule] = Dictionary(uniqueKeysWithValues: rules.map { ($0.code.rawValue, $0) })

    static func rule(_ code: CURLcode) -> Rule? { byCode[code.rawValue] }

    /// The class for a code. `reachedServer`: a connection existed when curl gave up, so nothing after that
    /// point can be the config's fault. A code newer than this table is `network`: it came off the wire.
    static func failureClass(_ code: CURLcode, reachedServer: Bool = false, message: String = "") -> FailureClass {
        guard let rule = rule(code) else { return .network }
        switch rule.blame {
        case .config: return .config
        case .configUnlessConnected:
            guard reachedServer else { return .config }
            // A followed redirect to a scheme probes do not speak (ftp://, file://) is the server's redirect.
            if code == CURLE_UNSUPPORTED_PROTOCOL, message.lowercased().contains("not supported") { return .redirect }
            return .protocol
        case .network: return serverBrokeHTTP(message) ? .protocol : .network
        case .tls: return .tls
        case .timeout: return .timeout
        case .redirect: return .redirect
        case .protocol: return .protocol
        }
    }

    /// Receive errors that are not about the socket but about what came through it: curl's words for a
    /// response that broke HTTP, checked on curl's error text because one code covers both.
    static func serverBrokeHTTP(_ curlMessage: String) -> Bool { protocolWords(curlMessage) != nil }

    private static func protocolWords(_ m: String) -> String? {
        let lower = m.lowercased()
        if lower.contains("too large response headers") { return "response headers over 300 KB (curl's limit)" }
        if lower.contains("chunked-encoding") || lower.contains("chunk") && lower.contains("hex") {
            return "bad chunked encoding: chunk size is not hexadecimal"
        }
        if lower.contains("chunk") { return "bad chunked encoding: \(m)" }
        return nil
    }

    /// A short lower-case summary for a probe message: "connection refused", "status line is not HTTP".
    /// Timeouts are phrased by the runner, which knows the configured limit.
    static func summary(_ f: TransportFailure) -> String {
        if f.cancelled { return f.message }
        let c = CURLcode(rawValue: UInt32(truncatingIfNeeded: f.code))
        let os = Int32(truncatingIfNeeded: f.osErrno)
        if f.failureClass == .protocol, let words = protocolWords(f.message) { return words }
        switch c {
        case CURLE_COULDNT_CONNECT, CURLE_RECV_ERROR, CURLE_SEND_ERROR:
            switch os {
            case ECONNREFUSED: return "connection refused"
            case ECONNRESET: return "connection reset by peer"
            case EPIPE: return "connection closed by peer"
            case ENETUNREACH: return "network unreachable"
            case EHOSTUNREACH: return "host unreachable"
            case ETIMEDOUT: return "connect timed out"
            default: break
            }
            if c == CURLE_COULDNT_CONNECT { return "could not connect: \(f.message)" }
            return (c == CURLE_RECV_ERROR ? "receive failed: " : "send failed: ") + f.message
        case CURLE_COULDNT_RESOLVE_HOST: return "could not resolve host: \(f.message)"
        case CURLE_PARTIAL_FILE: return "connection closed mid-body: \(f.message)"
        case CURLE_OPERATION_TIMEDOUT: return "timeout: \(f.message)"
        case CURLE_URL_MALFORMAT: return "malformed URL: \(f.message)"
        case CURLE_UNSUPPORTED_PROTOCOL:
            if f.failureClass == .redirect { return "redirected to a scheme probes do not follow: \(f.message)" }
            if f.failureClass == .protocol {
                return f.message.contains("HTTP/0.9") ? "status line is not HTTP (no \"HTTP/1.x NNN\" line)"
                    : "status line is not HTTP: \(f.message)"
            }
            return "unsupported protocol: \(f.message)"
        case CURLE_OUT_OF_MEMORY:
            // curl 7.88 says "Out of memory" when one header line passes CURL_MAX_HTTP_HEADER (100 KB).
            return f.failureClass == .protocol ? "response header over 100 KB (curl's limit)" : "out of memory"
        case CURLE_WEIRD_SERVER_REPLY, CURLE_BAD_CONTENT_ENCODING, CURLE_HTTP2:
            return "\(rule(c)?.words ?? "bad response"): \(f.message)"
        default:
            if let words = rule(c)?.words { return words }
            if f.failureClass == .tls { return "TLS: \(f.message)" }
            return f.message
        }
    }
}
