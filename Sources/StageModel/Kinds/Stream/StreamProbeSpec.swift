import Foundation

public struct StreamProbeSpec: Sendable {
    public var method: String
    public var path: String
    public var headers: HeaderList
    public var body: String?
    public var auth: HTTPAuthMode
    public var firstByteWithin: Duration?
    public var maxGap: Duration?
    public var finishWithin: Duration?

    public init(method: String = "GET", path: String, headers: HeaderList = [], body: String? = nil, auth: HTTPAuthMode = .none,
                firstByteWithin: Duration? = nil, maxGap: Duration? = nil, finishWithin: Duration? = nil) {
        self.method = method; self.path = path; self.headers = headers; self.body = body; self.auth = auth
        self.firstByteWithin = firstByteWithin; self.maxGap = maxGap; self.finishWithin = finishWithin
    }
}
