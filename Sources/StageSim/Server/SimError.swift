/// Why the simulator refused to do something.
public enum SimError: Error, Equatable, CustomStringConvertible {
    /// `setScenario`, `start` or `POST /__sim/scenario/{name}` named a scenario that does not exist.
    case unknownScenario(String, known: [String])
    /// The simulator only binds loopback addresses (127.0.0.0/8): it serves fake credentials.
    case nonLoopbackHost(String)
    /// A port outside 0...65535.
    case invalidPort(Int)
    /// The server stopped (or failed) before it reported it was listening.
    case stoppedBeforeListening(String)

    public var description: String {
        switch self {
        case .unknownScenario(let name, let known):
            return "unknown scenario '\(name)' (known: \(known.joined(separator: ", ")))"
        case .nonLoopbackHost(let host):
            return "refusing to bind '\(host)': the simulator binds loopback (127.0.0.0/8) only"
        case .invalidPort(let port):
            return "invalid port \(port): expected 0...65535 (0 picks a free port)"
        case .stoppedBeforeListening(let reason):
            return "simulator stopped before it was listening: \(reason)"
        }
    }
}
