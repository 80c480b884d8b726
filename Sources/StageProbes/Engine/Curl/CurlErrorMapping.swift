import CCurl
import Foundation
import StageModel

/// Maps curl result codes onto the failure classes of docs/config.md and short human summaries.
enum CurlErrorMapping {
    static func failureClass(_ code: CURLcode) -> FailureClass {
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED,
             CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT, CURLE_USE_SSL_FAILED:
            return .tls
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_NOT_BUILT_IN, CURLE_BAD_FUNCTION_ARGUMENT,
             CURLE_FAILED_INIT, CURLE_OUT_OF_MEMORY, CURLE_UNKNOWN_OPTION:
            return .config
        case CURLE_TOO_MANY_REDIRECTS:
            // Only reachable with follow_redirects: a loop is a redirect problem, not a network one.
            return .redirect
        default:
            // Resolve/connect failures, resets, empty replies, HTTP/2 stream errors: the wire let us down.
            return .network
        }
    }

    /// A short lower-case summary for a probe message: "connection refused", "could not resolve host …".
    /// Timeouts are phrased by the runner, which knows the configured limit.
    static func summary(_ f: TransportFailure) -> String {
        if f.cancelled { return f.message }
        let c = CURLcode(rawValue: UInt32(truncatingIfNeeded: f.code))
        let os = Int32(truncatingIfNeeded: f.osErrno)
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
        case CURLE_GOT_NOTHING: return "empty reply from server"
        case CURLE_PARTIAL_FILE: return "connection closed mid-body: \(f.message)"
        case CURLE_OPERATION_TIMEDOUT: return "timeout: \(f.message)"
        case CURLE_TOO_MANY_REDIRECTS: return "too many redirects"
        case CURLE_URL_MALFORMAT: return "malformed URL: \(f.message)"
        case CURLE_UNSUPPORTED_PROTOCOL: return "unsupported protocol: \(f.message)"
        default:
            if failureClass(c) == .tls { return "TLS: \(f.message)" }
            return f.message
        }
    }
}
