import Foundation

/// A WebSocket close, for the close-code panel and per-code counts.
public struct CloseRecord: Sendable, Equatable {
    public var at: Date
    public var probe: String
    public var code: Int
    public var reason: String
    /// False when we closed (normal end of a non-held probe is not recorded at all).
    public var byServer: Bool

    public init(at: Date, probe: String, code: Int, reason: String, byServer: Bool = true) {
        self.at = at; self.probe = probe; self.code = code; self.reason = reason; self.byServer = byServer
    }

    public var codeName: String { Format.closeCodeName(code) }
}

/// The login step's state, for the header banner and countdown. Never holds the token.
public struct LoginState: Sendable, Equatable {
    public enum Phase: String, Sendable { case pending, ok, failed }
    public var phase: Phase
    /// "401 Invalid E2E bypass key" when it failed.
    public var message: String
    public var status: Int?
    public var at: Date
    /// The token's `exp`, decoded without verification, for the countdown.
    public var expiresAt: Date?

    public init(phase: Phase, message: String = "", status: Int? = nil, at: Date, expiresAt: Date? = nil) {
        self.phase = phase; self.message = message; self.status = status; self.at = at; self.expiresAt = expiresAt
    }
}
