import Foundation

public struct HTTPProbeSpec: Sendable {
    public var method: String
    public var path: String
    public var headers: HeaderList
    public var body: String?
    public var followRedirects: Bool
    public var auth: HTTPAuthMode
    /// Cap on the captured body (bytes beyond it are counted, not kept).
    public var maxBodyBytes: Int

    public init(method: String = "GET", path: String, headers: HeaderList = [], body: String? = nil,
                followRedirects: Bool = false, auth: HTTPAuthMode = .none, maxBodyBytes: Int = 64 * 1024) {
        self.method = method; self.path = path; self.headers = headers; self.body = body
        self.followRedirects = followRedirects; self.auth = auth; self.maxBodyBytes = maxBodyBytes
    }
}
