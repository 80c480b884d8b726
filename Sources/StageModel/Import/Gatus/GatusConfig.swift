import Foundation
import Yams

/// The parts of a gatus config (config.yaml) that `stagetop init --from-gatus` reads, as gatus names them.
/// Everything else is kept as raw top-level keys so the conversion can list what it left out.
struct GatusConfig {
    struct Endpoint {
        var name: String
        var group: String?
        var url: String
        var method: String?
        var interval: String?
        var headers: [(String, String)]
        var body: String?
        var graphql: Bool
        var conditions: [String]
        var enabled: Bool
        var insecure: Bool
        var timeout: String?
        var ignoreRedirect: Bool
        var alerts: [Alert]
        /// Keys of the endpoint with no stagetop counterpart (ui, dns, ssh, client.oauth2, …).
        var unsupported: [String]
    }

    struct Alert {
        var type: String
        var enabled: Bool?
        var failureThreshold: Int?
        var successThreshold: Int?
        var sendOnResolved: Bool?
    }

    struct Provider {
        var type: String
        var url: String?
        var headers: [(String, String)]
        var defaultAlert: Alert?
        var unsupported: [String]
    }

    var endpoints: [Endpoint] = []
    var providers: [String: Provider] = [:]
    /// Top-level keys other than endpoints and alerting, in file order.
    var otherKeys: [String] = []
    var externalEndpoints = 0
    var suites = 0

    struct ParseError: Error, CustomStringConvertible { var description: String }

    static func parse(_ text: String) throws(ParseError) -> GatusConfig {
        let root: Any?
        do { root = try Yams.load(yaml: text) } catch { throw ParseError(description: "not valid YAML: \(error)") }
        guard let top = root as? [String: Any] else { throw ParseError(description: "a gatus config is a mapping with an endpoints: list") }
        var config = GatusConfig()
        config.otherKeys = top.keys.filter { !["endpoints", "alerting", "external-endpoints", "suites"].contains($0) }.sorted()
        config.externalEndpoints = (top["external-endpoints"] as? [Any])?.count ?? 0
        config.suites = (top["suites"] as? [Any])?.count ?? 0
        if let alerting = top["alerting"] as? [String: Any] {
            for (type, value) in alerting {
                let m = value as? [String: Any] ?? [:]
                let handled: Set<String> = ["webhook-url", "url", "headers", "default-alert", "method"]
                config.providers[type] = Provider(
                    type: type, url: string(m["webhook-url"]) ?? string(m["url"]), headers: pairs(m["headers"]),
                    defaultAlert: (m["default-alert"] as? [String: Any]).map(alert),
                    unsupported: m.keys.filter { !handled.contains($0) }.sorted())
            }
        }
        guard let list = top["endpoints"] as? [Any] else {
            if config.externalEndpoints > 0 || config.suites > 0 { return config }
            throw ParseError(description: "no endpoints: list (is this a gatus config?)")
        }
        for (i, item) in list.enumerated() {
            guard let m = item as? [String: Any] else { throw ParseError(description: "endpoints[\(i)] is not a mapping") }
            let client = m["client"] as? [String: Any] ?? [:]
            let known: Set<String> = ["name", "group", "url", "method", "interval", "headers", "body", "graphql", "conditions",
                                      "enabled", "client", "alerts"]
            let clientKnown: Set<String> = ["insecure", "timeout", "ignore-redirect"]
            var unsupported = m.keys.filter { !known.contains($0) }.sorted()
            unsupported += client.keys.filter { !clientKnown.contains($0) }.sorted().map { "client.\($0)" }
            config.endpoints.append(Endpoint(
                name: string(m["name"]) ?? "endpoint-\(i + 1)", group: string(m["group"]), url: string(m["url"]) ?? "",
                method: string(m["method"]), interval: string(m["interval"]), headers: pairs(m["headers"]),
                body: string(m["body"]), graphql: m["graphql"] as? Bool ?? false,
                conditions: (m["conditions"] as? [Any] ?? []).compactMap(string),
                enabled: m["enabled"] as? Bool ?? true, insecure: client["insecure"] as? Bool ?? false,
                timeout: string(client["timeout"]), ignoreRedirect: client["ignore-redirect"] as? Bool ?? false,
                alerts: (m["alerts"] as? [Any] ?? []).compactMap { $0 as? [String: Any] }.map(alert),
                unsupported: unsupported))
        }
        return config
    }

    private static func alert(_ m: [String: Any]) -> Alert {
        Alert(type: string(m["type"]) ?? "", enabled: m["enabled"] as? Bool, failureThreshold: m["failure-threshold"] as? Int,
              successThreshold: m["success-threshold"] as? Int, sendOnResolved: m["send-on-resolved"] as? Bool)
    }

    /// A scalar as text: YAML may have read `interval: 30` or `body: 1` as a number.
    private static func string(_ v: Any?) -> String? {
        switch v {
        case let s as String: s
        case let i as Int: String(i)
        case let d as Double: String(d)
        case let b as Bool: String(b)
        default: nil
        }
    }

    private static func pairs(_ v: Any?) -> [(String, String)] {
        guard let m = v as? [String: Any] else { return [] }
        return m.keys.sorted().compactMap { k in string(m[k]).map { (k, $0) } }
    }
}
