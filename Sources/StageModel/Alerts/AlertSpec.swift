import Foundation

/// One entry of the config's `alerts:` (docs/config.md, "Alerts"): where to send, and when.
/// Thresholds and `send_on_resolved` default to gatus's values, so a gatus user's habits carry over.
public struct AlertSpec: Sendable {
    public enum Channel: Sendable {
        case webhook(Webhook)
        /// argv of a program run with the event as JSON on stdin (no shell: nothing in the event is ever
        /// interpreted as a command).
        case command([String])
    }

    public enum Format: String, Sendable, CaseIterable {
        /// stagetop's own event object (docs/config.md).
        case json
        /// `{"text": …}`, what a Slack incoming webhook takes.
        case slack
        /// `{"content": …}`, what a Discord webhook takes.
        case discord
    }

    public struct Webhook: Sendable {
        public var url: String
        public var format: Format
        public var headers: HeaderList
        public init(url: String, format: Format = .json, headers: HeaderList = []) { self.url = url; self.format = format; self.headers = headers }
    }

    public var name: String
    public var channel: Channel
    /// Consecutive failing runs (fail, hang, error) before a probe's alert fires.
    public var failureThreshold: Int
    /// Consecutive passing runs before a fired alert resolves.
    public var successThreshold: Int
    public var sendOnResolved: Bool
    /// Extra attempts after a failed delivery, `retryBackoff` doubling between them.
    public var retries: Int
    public var retryBackoff: Duration
    /// Per attempt.
    public var timeout: Duration
    public var location: SourceLocation?

    public init(name: String, channel: Channel, failureThreshold: Int = 3, successThreshold: Int = 2, sendOnResolved: Bool = false,
                retries: Int = 3, retryBackoff: Duration = .s(1), timeout: Duration = .s(10), location: SourceLocation? = nil) {
        self.name = name; self.channel = channel; self.failureThreshold = failureThreshold; self.successThreshold = successThreshold
        self.sendOnResolved = sendOnResolved; self.retries = retries; self.retryBackoff = retryBackoff; self.timeout = timeout
        self.location = location
    }

    /// Where it goes, safe to show: a webhook's scheme and host only (Slack and Discord put the secret in
    /// the path), a command's program name.
    public var destination: String {
        switch channel {
        case .webhook(let w):
            guard let c = URLComponents(string: w.url), let scheme = c.scheme, let host = c.host else { return "webhook" }
            return "\(scheme)://\(host)\(c.port.map { ":\($0)" } ?? "")/…"
        case .command(let argv):
            return URL(fileURLWithPath: argv.first ?? "").lastPathComponent
        }
    }
}

/// A probe's `alerts:`: every alert (the default), none (`alerts: false`), or the ones named.
public enum ProbeAlerting: Sendable, Equatable {
    case all
    case none
    case only([String])

    public func includes(_ alert: String) -> Bool {
        switch self {
        case .all: true
        case .none: false
        case .only(let names): names.contains(alert)
        }
    }
}
