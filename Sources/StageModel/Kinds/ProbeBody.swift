/// A probe's kind-specific part. The closed set of kinds: every switch over it is exhaustive (no
/// `default:`), so the compiler names each place a new kind must fill in.
public enum ProbeBody: Sendable {
    case http(HTTPProbeSpec)
    case websocket(WebSocketProbeSpec)
    case stream(StreamProbeSpec)
    case burst(BurstProbeSpec)
    case journey(JourneyProbeSpec)

    /// The spec as the protocol every kind implements.
    public var kindSpec: any ProbeKindSpec {
        switch self {
        case .http(let s): s
        case .websocket(let s): s
        case .stream(let s): s
        case .burst(let s): s
        case .journey(let s): s
        }
    }

    public var kind: ProbeKind { type(of: kindSpec).kind }

    public var usesToken: Bool { kindSpec.usesToken }

    /// Parses the block under the kind's key.
    static func parse(_ kind: ProbeKind, block: YNode, probe: String, fields: ConfigFields) throws(ConfigError) -> ProbeBody {
        switch kind {
        case .http: return .http(try HTTPProbeSpec.parse(block, probe: probe, fields: fields))
        case .websocket: return .websocket(try WebSocketProbeSpec.parse(block, probe: probe, fields: fields))
        case .stream: return .stream(try StreamProbeSpec.parse(block, probe: probe, fields: fields))
        case .burst: return .burst(try BurstProbeSpec.parse(block, probe: probe, fields: fields))
        case .journey: return .journey(try JourneyProbeSpec.parse(block, probe: probe, fields: fields))
        }
    }
}
