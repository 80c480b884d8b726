/// `websocket:` — a handshake, optional steps, optionally held open (docs/config.md, "websocket").
extension WebSocketProbeSpec: ConfigParsableKind {
    public static var kind: ProbeKind { .websocket }
    public static var urlSchemes: [String] { ["ws", "wss"] }

    static func parse(_ block: YNode, probe: String, fields: ConfigFields) throws(ConfigError) -> WebSocketProbeSpec {
        let m = try block.mapping("websocket of '\(probe)'", allowed: ["path", "auth", "hold", "ping_interval", "concurrency", "steps"])
        var s = WebSocketProbeSpec()
        if let p = m["path"] {
            s.path = try p.string("websocket.path")
            guard s.path.hasPrefix("/") || s.path.hasPrefix("ws://") || s.path.hasPrefix("wss://") else {
                throw p.error("path '\(s.path)' must start with / (or be a full ws(s) URL)")
            }
        }
        if let a = m["auth"] {
            let v = try a.string("websocket.auth")
            guard let mode = WSAuthMode(rawValue: v) else {
                throw a.error("unknown websocket auth '\(v)'", hint: "one of: subprotocol, bearer, query, none")
            }
            s.auth = mode
        }
        if let h = m["hold"] { s.hold = try h.bool("hold") }
        if let p = m["ping_interval"] { s.pingInterval = try p.duration("ping_interval") }
        if let c = m["concurrency"] { s.concurrency = try c.int("concurrency", min: 1, max: 100_000) }
        if let st = m["steps"] {
            for stepNode in try st.sequence("steps") {
                let sm = try stepNode.mapping("a step", allowed: ["expect", "send", "send_text", "within"])
                if sm.has("send"), sm.has("send_text") { throw stepNode.error("a step is either send or send_text, not both") }
                if let e = sm["expect"] {
                    if sm.has("send") || sm.has("send_text") { throw stepNode.error("a step is either expect or send, not both") }
                    let em = try e.mapping("expect", allowed: [String](e.mappingKeys))
                    var match: [(key: String, value: JSONValue)] = []
                    for entry in em.entries { match.append((entry.key, try entry.value.json())) }
                    let within = try sm["within"].map { w throws(ConfigError) in try w.duration("within") }
                    s.steps.append(.expect(match: match, within: within))
                } else if let snd = sm["send"] {
                    if sm.has("within") { throw sm["within"]!.error("within applies to expect steps only") }
                    s.steps.append(.send(try snd.json()))
                } else if let text = sm["send_text"] {
                    if sm.has("within") { throw sm["within"]!.error("within applies to expect steps only") }
                    s.steps.append(.sendText(try text.string("send_text")))
                } else {
                    throw stepNode.error("a step needs expect, send or send_text")
                }
            }
        }
        return s
    }

    public var usesToken: Bool { auth != .none }

    public var targetDescription: String { "WS \(path)" }

    public func reproRequest(target: TargetConfig) -> ReproRequest {
        let url = path.hasPrefix("ws://") || path.hasPrefix("wss://") ? path : target.effectiveWSURL.replacingSuffix("/ws", with: "") + path
        return ReproRequest(url: url, shownMethod: "GET (upgrade)", bearer: auth == .bearer, subprotocolToken: auth == .subprotocol)
    }
}
