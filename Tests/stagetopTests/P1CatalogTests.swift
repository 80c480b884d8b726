import Foundation
import Testing

/// The 25 P1 probes of the staging reports: all pass against the healthy sim, and each report-modelled
/// scenario makes exactly its report's probes fail, with the right classes. Real binary, sim, curl, NIO.
@Suite(.serialized) struct P1CatalogTests {
    static let config = "examples/staging-p1.yaml"
    static let names = [
        "websocket_connection_real", "websocket_authentication_real", "websocket_message_send_real",
        "websocket_concurrent_connections_real", "agent_discovery_real", "agent_configuration_real",
        "agent_execution_endpoints_real", "agent_streaming_capabilities_real", "agent_status_monitoring_real",
        "tool_execution_endpoints_real", "agent_performance_real", "message_persistence_real", "thread_creation_real",
        "thread_switching_real", "thread_history_real", "user_context_isolation_real", "concurrent_users_real",
        "rate_limiting_real", "error_handling_real", "connection_resilience_real", "session_persistence_real",
        "agent_lifecycle_management_real", "streaming_partial_results_real", "message_ordering_real",
        "critical_event_delivery_real",
    ]

    struct Report {
        var doc: [String: Any]
        var probes: [String: [String: Any]]
        var status: Int32
        var summary: [String: Any] { doc["summary"] as? [String: Any] ?? [:] }
        func verdict(_ n: String) -> String? { probes[n]?["verdict"] as? String }
        func cls(_ n: String) -> String? { probes[n]?["class"] as? String }
        var failing: Set<String> { Set(probes.filter { ($0.value["verdict"] as? String) != "pass" }.keys) }
    }

    func run(_ scenario: String) throws -> Report {
        let out = Binary.tempFile("p1-\(scenario).json")
        let r = try Binary.run(["check", Self.config, "--sim", scenario, "--json", out], timeout: 90)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        var probes: [String: [String: Any]] = [:]
        for p in doc["probes"] as? [[String: Any]] ?? [] { probes[p["name"] as! String] = p }
        return Report(doc: doc, probes: probes, status: r.status)
    }

    @Test func allTwentyFivePassAgainstTheHealthySim() throws {
        let r = try run("healthy")
        #expect(Set(r.probes.keys) == Set(Self.names))
        #expect(r.failing.isEmpty, "failing: \(r.failing.sorted().map { "\($0): \(r.probes[$0]?["message"] ?? "")" })")
        #expect(r.status == 0)
        let kinds = Set(r.probes.values.compactMap { $0["kind"] as? String })
        #expect(kinds == ["http", "websocket", "stream", "burst"])
    }

    @Test func iteration5WebSocket403AndRoute404s() throws {
        let r = try run("ws-403-routes-404")
        for n in ["websocket_connection_real", "websocket_authentication_real", "websocket_concurrent_connections_real"] {
            #expect(r.cls(n) == "ws_handshake", "\(n)")
        }
        #expect(r.probes["websocket_connection_real"]?["status"] as? Int == 403)
        #expect(r.cls("user_context_isolation_real") == "route")
        #expect(r.cls("session_persistence_real") == "route", "expected 401 but got 404")
        #expect(r.cls("rate_limiting_real") == "route", "404 instead of 200/429 is never a pass")
        #expect(r.status == 1)
    }

    @Test func badBypassKeyIsOneLoudLoginFailureNotASilentFallback() throws {
        let r = try run("ws-1008-bad-bypass")
        let tokenFree: Set = ["agent_discovery_real", "tool_execution_endpoints_real", "rate_limiting_real", "error_handling_real", "session_persistence_real"]
        for n in Self.names where !tokenFree.contains(n) {
            #expect(r.verdict(n) == "error" && r.cls(n) == "auth", "\(n)")
            #expect((r.probes[n]?["message"] as? String) == "login failed: 401 Invalid E2E bypass key", "\(n)")
        }
        for n in tokenFree { #expect(r.verdict(n) == "pass", "\(n)") }
        #expect(r.summary["errored"] as? Int == 20)
        #expect(r.summary["pass_rate"] as? Double == 0.2)
    }

    @Test func cycle2Discovery500AndRedirects() throws {
        let r = try run("redirect-307-discovery-500")
        #expect(r.cls("agent_discovery_real") == "server")
        #expect(r.cls("rate_limiting_real") == "redirect")
        #expect(r.cls("websocket_concurrent_connections_real") == "ws_internal")
        #expect(r.probes["websocket_concurrent_connections_real"]?["close_code"] as? Int == 1011)
        // "Single WebSocket connections now work reliably": the limit is per client, so the other WebSocket
        // probes, connecting at the same moment, pass. Exactly the report's three failures.
        #expect(r.failing == ["agent_discovery_real", "rate_limiting_real", "websocket_concurrent_connections_real"])
    }

    @Test func cycle1WebSocket1011AndMissingRoutes() throws {
        let r = try run("ws-1011-routes-404")
        #expect(r.cls("websocket_connection_real") == "ws_internal")
        #expect(r.probes["websocket_connection_real"]?["close_code"] as? Int == 1011)
        for n in ["agent_execution_endpoints_real", "message_persistence_real", "agent_lifecycle_management_real", "critical_event_delivery_real"] {
            #expect(r.cls(n) == "route", "\(n)")
        }
        #expect(r.cls("thread_history_real") == "auth")
        #expect(r.cls("streaming_partial_results_real") == "auth")
        #expect(r.verdict("agent_discovery_real") == "pass")
    }

    @Test func session6HangsCountAgainstThePassRate() throws {
        let r = try run("ws-1011-streams-hang")
        #expect(r.verdict("streaming_partial_results_real") == "hang")
        #expect((r.probes["streaming_partial_results_real"]?["message"] as? String)?.hasPrefix("no data for 3.0 s after 2 events") == true)
        #expect(r.verdict("critical_event_delivery_real") == "hang")
        #expect(r.probes["critical_event_delivery_real"]?["message"] as? String == "no first byte within 3.0 s")
        #expect(r.cls("websocket_connection_real") == "ws_internal")
        #expect(r.cls("websocket_message_send_real") == "ws_internal", "the report's 'passed, handles 1011 gracefully' is a failure here")
        #expect(r.summary["hung"] as? Int == 2)
        // The report claimed 84% by leaving the hangs out; hangs stay in the denominator here.
        let passed = r.summary["passed"] as? Int ?? -1
        #expect(r.summary["pass_rate"] as? Double == (Double(passed) / 25 * 10_000).rounded() / 10_000)
        #expect(r.verdict("agent_performance_real") == "pass")
    }

    @Test func changedWelcomeIsSchemaAndMissingEventIsNamed() throws {
        let legacy = try run("legacy-welcome")
        #expect(legacy.cls("websocket_connection_real") == "schema")
        #expect((legacy.probes["websocket_connection_real"]?["message"] as? String)?.contains("connection_established") == true)
        let missing = try run("missing-agent-completed")
        #expect(missing.failing == ["message_ordering_real"])
        #expect(missing.cls("message_ordering_real") == "missing_event")
        #expect((missing.probes["message_ordering_real"]?["message"] as? String)?.hasPrefix("agent_completed not received") == true)
    }
}
