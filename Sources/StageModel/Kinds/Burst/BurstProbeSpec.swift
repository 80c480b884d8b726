import Foundation

public struct BurstProbeSpec: Sendable {
    public var method: String
    public var path: String
    public var headers: HeaderList
    public var auth: HTTPAuthMode
    public var requests: Int
    public var within: Duration

    public init(method: String = "GET", path: String, headers: HeaderList = [], auth: HTTPAuthMode = .none, requests: Int, within: Duration) {
        self.method = method; self.path = path; self.headers = headers; self.auth = auth; self.requests = requests; self.within = within
    }
}
