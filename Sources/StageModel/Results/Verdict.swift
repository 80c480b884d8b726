/// The one outcome of a probe run (docs/config.md, "Verdicts" and "Failure classes").
public enum Verdict: String, Codable, Sendable, CaseIterable, Comparable {
    case pass, fail, hang, error, skip

    /// Severity order used for sorting: worst first.
    public var severity: Int {
        switch self {
        case .hang: 4
        case .error: 3
        case .fail: 2
        case .skip: 1
        case .pass: 0
        }
    }

    public static func < (a: Verdict, b: Verdict) -> Bool { a.severity < b.severity }
}

/// Why a run did not pass. Exactly one per non-pass verdict.
public enum FailureClass: String, Codable, Sendable, CaseIterable {
    case auth, route, redirect, server
    case rateLimit = "rate_limit"
    case wsHandshake = "ws_handshake"
    case wsPolicy = "ws_policy"
    case wsInternal = "ws_internal"
    case wsClose = "ws_close"
    case wsSubprotocol = "ws_subprotocol"
    case schema
    case missingEvent = "missing_event"
    case hang, timeout, network, tls, condition
    /// The server's response broke HTTP's or WebSocket's rules: a status line that is not HTTP, a header
    /// over curl's limit, bad chunking, an invalid frame, a close code not allowed on the wire.
    case `protocol`
    /// Could not run for a reason of stagetop's own (bad URL in the config, curl init failure).
    case config
}

extension FailureClass {
    /// The class an unexpected HTTP status implies, or nil when the status itself explains nothing (2xx).
    /// `followRedirects` matters because a 3xx is only a failure when we were told not to follow.
    public static func forHTTPStatus(_ status: Int, followRedirects: Bool = false) -> FailureClass? {
        switch status {
        case 401, 403: .auth
        case 404, 405: .route
        case 429: .rateLimit
        case 300..<400: followRedirects ? .condition : .redirect
        case 500..<600: .server
        case 200..<300: nil
        default: .condition
        }
    }
}
