import Foundation
import StageModel

/// Delivers one alert body to a webhook over the probes' own libcurl engine. A 2xx is delivered;
/// anything else is a failure described without the URL (Slack and Discord keep the secret in its path).
public struct WebhookSender: Sendable {
    let engine: CurlEngine

    public init(engine: CurlEngine) { self.engine = engine }

    public func send(_ hook: AlertSpec.Webhook, body: String, timeout: Double) async -> Result<Int, DeliveryFailure> {
        var headers: HeaderList = [("Content-Type", "application/json")]
        headers += hook.headers
        let request = HTTPRequest(url: hook.url, method: "POST", headers: headers, body: Array(body.utf8),
                                  timeout: timeout, maxBodyBytes: 4096, reuseConnection: false)
        switch await engine.perform(request) {
        case .success(let r) where (200..<300).contains(r.status):
            return .success(r.status)
        case .success(let r):
            return .failure(DeliveryFailure(description: "answered \(r.status)"))
        case .failure(let f):
            let why = f.failureClass == .timeout ? "timed out after \(Int(timeout)) s" : f.message.replacingOccurrences(of: hook.url, with: "<webhook url>")
            return .failure(DeliveryFailure(description: why))
        }
    }
}

/// Why an alert was not delivered, in words safe to log.
public struct DeliveryFailure: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(description: String) { self.description = description }
}
