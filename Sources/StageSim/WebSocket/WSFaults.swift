/// What the `/ws` endpoint does wrong. The default value is a healthy WebSocket.
///
/// Checked in this order on each connection: `handshakeStatus` (refuse the upgrade) → `closeOnConnect`
/// → token check (`rejectAllTokens`; a missing or bad token is always refused the same way) →
/// `maxConcurrent` → welcome (`legacyWelcome`) → `closeAfterWelcome` → chat (`omitEvents`,
/// `eventDelayMs`), with `closeAfterSeconds` running from the moment the connection opened.
///
/// Codable with these property names as keys (missing keys take the defaults), so the control
/// endpoint accepts `PUT /__sim/ws` with `{"closeAfterWelcome":1011}`.
public struct WSFaults: Codable, Sendable, Equatable {
    /// Refuse the upgrade with this HTTP status and a JSON body (report 000: 403).
    public var handshakeStatus: Int?
    /// Refuse even valid tokens: error_message AUTH_REQUIRED, then close 1008 (report 001).
    public var rejectAllTokens: Bool
    /// Send the welcome, then close with this code (report 003: 1011 `Internal error`).
    public var closeAfterWelcome: Int?
    /// Close with this code before any welcome (report 004: 1011).
    public var closeOnConnect: Int?
    /// Send the old flat welcome `{"type":"connection_established",…}` instead of the
    /// `system_message` wrapper (report 002's "unexpected welcome message format").
    public var legacyWelcome: Bool
    /// Accept the upgrade without echoing the offered `jwt.…` subprotocol.
    public var noSubprotocolEcho: Bool
    /// Chat events never sent, e.g. `["agent_completed"]`.
    public var omitEvents: [String]
    /// Gap between chat events; nil means `WSFaults.defaultEventDelayMs`.
    public var eventDelayMs: Double?
    /// Close 1001 `going away` this long after the connection opened (for reconnect tests).
    public var closeAfterSeconds: Double?
    /// Connections beyond this many open at once from one client (`X-Stagetop-Probe`; all clients without
    /// it count as one) get the welcome, then close 1011 `Factory SSOT validation failed` (report 002's
    /// concurrent test).
    public var maxConcurrent: Int?

    public static let defaultEventDelayMs: Double = 40

    public init(
        handshakeStatus: Int? = nil,
        rejectAllTokens: Bool = false,
        closeAfterWelcome: Int? = nil,
        closeOnConnect: Int? = nil,
        legacyWelcome: Bool = false,
        noSubprotocolEcho: Bool = false,
        omitEvents: [String] = [],
        eventDelayMs: Double? = nil,
        closeAfterSeconds: Double? = nil,
        maxConcurrent: Int? = nil
    ) {
        self.handshakeStatus = handshakeStatus
        self.rejectAllTokens = rejectAllTokens
        self.closeAfterWelcome = closeAfterWelcome
        self.closeOnConnect = closeOnConnect
        self.legacyWelcome = legacyWelcome
        self.noSubprotocolEcho = noSubprotocolEcho
        self.omitEvents = omitEvents
        self.eventDelayMs = eventDelayMs
        self.closeAfterSeconds = closeAfterSeconds
        self.maxConcurrent = maxConcurrent
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case handshakeStatus, rejectAllTokens, closeAfterWelcome, closeOnConnect, legacyWelcome
        case noSubprotocolEcho, omitEvents, eventDelayMs, closeAfterSeconds, maxConcurrent
    }

    /// The JSON keys, so the control endpoint can refuse a misspelt one instead of ignoring it.
    static let keys = Set(CodingKeys.allCases.map(\.rawValue))

    /// Every key optional, so `{}` is "no faults" and a control request names only what it breaks.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            handshakeStatus: try c.decodeIfPresent(Int.self, forKey: .handshakeStatus),
            rejectAllTokens: try c.decodeIfPresent(Bool.self, forKey: .rejectAllTokens) ?? false,
            closeAfterWelcome: try c.decodeIfPresent(Int.self, forKey: .closeAfterWelcome),
            closeOnConnect: try c.decodeIfPresent(Int.self, forKey: .closeOnConnect),
            legacyWelcome: try c.decodeIfPresent(Bool.self, forKey: .legacyWelcome) ?? false,
            noSubprotocolEcho: try c.decodeIfPresent(Bool.self, forKey: .noSubprotocolEcho) ?? false,
            omitEvents: try c.decodeIfPresent([String].self, forKey: .omitEvents) ?? [],
            eventDelayMs: try c.decodeIfPresent(Double.self, forKey: .eventDelayMs),
            closeAfterSeconds: try c.decodeIfPresent(Double.self, forKey: .closeAfterSeconds),
            maxConcurrent: try c.decodeIfPresent(Int.self, forKey: .maxConcurrent)
        )
    }

    /// Validation for values from the control endpoint: close codes a server may send on the wire
    /// (RFC 6455 §7.4: 1000–1011 except the reserved 1004–1006, or 3000–4999), positive durations.
    var problems: [String] {
        var problems: [String] = []
        if let status = handshakeStatus, !(100...599).contains(status) || status == 101 {
            problems.append("handshakeStatus must be an HTTP status other than 101")
        }
        for (name, code) in [("closeAfterWelcome", closeAfterWelcome), ("closeOnConnect", closeOnConnect)] {
            if let code, !WSCloseCodes.isSendable(code) {
                problems.append("\(name) must be a close code a server may send (1000-1003, 1007-1011, 3000-4999)")
            }
        }
        if let delay = eventDelayMs, !(delay >= 0) { problems.append("eventDelayMs must be >= 0") }
        if let seconds = closeAfterSeconds, !(seconds > 0) { problems.append("closeAfterSeconds must be > 0") }
        if let max = maxConcurrent, max < 0 { problems.append("maxConcurrent must be >= 0") }
        return problems
    }
}

/// Close codes and the reasons staging sent with them.
enum WSCloseCodes {
    static let goingAway = 1001
    static let policyViolation = 1008
    static let internalError = 1011

    static func isSendable(_ code: Int) -> Bool {
        (1000...1003).contains(code) || (1007...1011).contains(code) || (3000...4999).contains(code)
    }

    /// The reason text for a fault's close code: the reports quote `Internal error` with 1011.
    static func reason(for code: Int) -> String {
        switch code {
        case 1000: return "Normal closure"
        case 1001: return "going away"
        case 1008: return "Policy violation"
        case 1011: return "Internal error"
        default: return "Closed by simulator"
        }
    }
}
