import Foundation

public enum WSAuthMode: String, Sendable, Equatable {
    case subprotocol, bearer, query, none
}

public enum WSStep: Sendable {
    /// Match a JSON subset (dotted keys allowed) within a deadline (nil: the probe timeout).
    case expect(match: [(key: String, value: JSONValue)], within: Duration?)
    /// Send a JSON message.
    case send(JSONValue)
    /// Send a text message exactly as written (`send_text:`; what gatus sends as a WebSocket endpoint's body).
    case sendText(String)
}

public struct WebSocketProbeSpec: Sendable {
    public var path: String
    public var auth: WSAuthMode
    public var hold: Bool
    public var pingInterval: Duration
    public var concurrency: Int
    public var steps: [WSStep]

    public init(path: String = "/ws", auth: WSAuthMode = .subprotocol, hold: Bool = false, pingInterval: Duration = .s(15),
                concurrency: Int = 1, steps: [WSStep] = []) {
        self.path = path; self.auth = auth; self.hold = hold; self.pingInterval = pingInterval
        self.concurrency = concurrency; self.steps = steps
    }
}
