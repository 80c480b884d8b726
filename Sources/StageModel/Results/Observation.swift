/// Everything a condition can look at, gathered by a runner after one run.
public struct Observation: Sendable {
    public var status: Int?
    public var statuses: [Int: Int]
    public var responseTimeMs: Double?
    public var ttfbMs: Double?
    public var body: [UInt8]?
    public var headers: HeaderList
    public var connected: Bool?
    public var subprotocol: String?
    public var closeCode: Int?
    public var events: [String]
    public var maxGapMs: Double?
    /// The address connected to ([IP]).
    public var ip: String?
    /// Time left until the server certificate's notAfter, ms; negative once expired ([CERTIFICATE_EXPIRATION]).
    public var certificateExpiresInMs: Double?

    public init(status: Int? = nil, statuses: [Int: Int] = [:], responseTimeMs: Double? = nil, ttfbMs: Double? = nil,
                body: [UInt8]? = nil, headers: HeaderList = [], connected: Bool? = nil, subprotocol: String? = nil,
                closeCode: Int? = nil, events: [String] = [], maxGapMs: Double? = nil, ip: String? = nil,
                certificateExpiresInMs: Double? = nil) {
        self.status = status; self.statuses = statuses; self.responseTimeMs = responseTimeMs; self.ttfbMs = ttfbMs
        self.body = body; self.headers = headers; self.connected = connected; self.subprotocol = subprotocol
        self.closeCode = closeCode; self.events = events; self.maxGapMs = maxGapMs
        self.ip = ip; self.certificateExpiresInMs = certificateExpiresInMs
    }
}
