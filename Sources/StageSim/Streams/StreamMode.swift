/// How one server-sent-events route (`/api/chat/stream`, `/api/agents/stream`, `/api/events/stream`)
/// behaves once it has answered 200. Report 004's two "hang indefinitely" tests are `stallAfter` and
/// `noFirstByte`; the others exist so a stream watchdog can be tested against each kind of slowness.
///
/// JSON (control endpoint `PUT /__sim/streams`): `{"kind":"ok"}`, `{"kind":"noFirstByte"}`,
/// `{"kind":"stallAfter","events":2}`, `{"kind":"neverFinish"}`,
/// `{"kind":"slowDrip","gapMs":500,"count":6}`; the parameterless kinds also as a bare string `"ok"`.
public enum StreamMode: Sendable, Equatable, Codable {
    /// The route's events `okGapMs` apart, then `event: done` and the end of the body.
    case ok
    /// The 200 headers, then no body at all, never ending.
    case noFirstByte
    /// This many events, then silence, never ending.
    case stallAfter(Int)
    /// An event every `neverFinishGapMs`, forever.
    case neverFinish
    /// `count` events `gapMs` apart, then `event: done` and the end.
    case slowDrip(gapMs: Double, count: Int)

    public static let okGapMs: Double = 50
    public static let neverFinishGapMs: Double = 200

    private enum CodingKeys: String, CodingKey {
        case kind, events, gapMs, count
    }

    private enum Kind: String, Codable {
        case ok, noFirstByte, stallAfter, neverFinish, slowDrip
    }

    struct InvalidMode: Error, CustomStringConvertible {
        let description: String
    }

    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let name = try? single.decode(String.self) {
            switch Kind(rawValue: name) {
            case .ok: self = .ok
            case .noFirstByte: self = .noFirstByte
            case .neverFinish: self = .neverFinish
            case .stallAfter, .slowDrip, nil:
                throw InvalidMode(description: "'\(name)' needs an object with its parameters, or is unknown")
            }
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(Kind.self, forKey: .kind) {
        case .ok: self = .ok
        case .noFirstByte: self = .noFirstByte
        case .neverFinish: self = .neverFinish
        case .stallAfter: self = .stallAfter(try c.decode(Int.self, forKey: .events))
        case .slowDrip:
            self = .slowDrip(gapMs: try c.decode(Double.self, forKey: .gapMs), count: try c.decode(Int.self, forKey: .count))
        }
        if let problem { throw InvalidMode(description: problem) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .ok: try c.encode(Kind.ok, forKey: .kind)
        case .noFirstByte: try c.encode(Kind.noFirstByte, forKey: .kind)
        case .neverFinish: try c.encode(Kind.neverFinish, forKey: .kind)
        case .stallAfter(let events):
            try c.encode(Kind.stallAfter, forKey: .kind)
            try c.encode(events, forKey: .events)
        case .slowDrip(let gapMs, let count):
            try c.encode(Kind.slowDrip, forKey: .kind)
            try c.encode(gapMs, forKey: .gapMs)
            try c.encode(count, forKey: .count)
        }
    }

    private var problem: String? {
        switch self {
        case .stallAfter(let events) where events < 0: return "stallAfter events must be >= 0"
        case .slowDrip(let gapMs, let count) where !(gapMs >= 0) || count < 0:
            return "slowDrip needs gapMs >= 0 and count >= 0"
        default: return nil
        }
    }
}
