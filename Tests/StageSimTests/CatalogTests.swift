import Foundation
import Testing

@testable import StageSim

@Suite("scenario catalogue, fault coding, tokens (no network)")
struct CatalogTests {
    @Test func shipsTheNineScenariosByName() throws {
        #expect(Scenarios.names == [
            "healthy", "ws-403-routes-404", "ws-1008-bad-bypass", "redirect-307-discovery-500",
            "ws-1011-routes-404", "ws-1011-streams-hang", "legacy-welcome", "missing-agent-completed",
            "lost-writes",
        ])
        #expect(Scenarios.defaultDemo == "redirect-307-discovery-500")
        #expect(Scenarios.named(Scenarios.defaultDemo) != nil)
        #expect(Scenarios.named("nope") == nil)
        let healthy = try #require(Scenarios.named("healthy"))
        #expect(healthy.faults.isEmpty)
        #expect(healthy.ws == WSFaults())
        #expect(healthy.streams.isEmpty)
    }

    @Test func failingScenariosCiteTheirReport() {
        let reports = [
            "ws-403-routes-404": "000_838e89e19630cfe2.txt",
            "ws-1008-bad-bypass": "001_48e96ca605a6395b.txt",
            "redirect-307-discovery-500": "002_3fbb226619eff32e.txt",
            "ws-1011-routes-404": "003_ea047ef8521e1800.txt",
            "ws-1011-streams-hang": "004_45596889e4980cc4.txt",
            "legacy-welcome": "002_3fbb226619eff32e.txt",
            "missing-agent-completed": "001_48e96ca605a6395b.txt",
        ]
        for (name, report) in reports {
            let scenario = Scenarios.named(name)
            #expect(scenario?.summary.contains(report) == true, "\(name)")
            #expect(scenario?.summary.contains("\n") == false, "\(name)")
        }
    }

    @Test func scenarioFaultsOnlyNameServedRoutes() {
        let known = Set(StagingRoutes.paths)
        for scenario in Scenarios.all {
            #expect(Set(scenario.faults.keys).isSubset(of: known), "\(scenario.name)")
            #expect(Set(scenario.streams.keys).isSubset(of: Set(StreamScripts.paths)), "\(scenario.name)")
            #expect(scenario.ws.problems.isEmpty, "\(scenario.name)")
        }
    }

    @Test func routeFaultDecodesFromControlJSON() throws {
        let json = #"{"status":429,"delayMs":75,"jitterMs":15,"wrongShape":false,"redirectTo":"/x/"}"#
        let fault = try JSONDecoder().decode(RouteFault.self, from: Data(json.utf8))
        #expect(fault == RouteFault(status: 429, redirectTo: "/x/", delayMs: 75, jitterMs: 15, wrongShape: false))
        let roundTrip = try JSONDecoder().decode(RouteFault.self, from: JSONEncoder().encode(fault))
        #expect(roundTrip == fault)
        #expect(try JSONDecoder().decode(RouteFault.self, from: Data("{}".utf8)) == RouteFault())
    }

    @Test func tokensValidateAndRejectForReasons() throws {
        let now = Date(timeIntervalSince1970: 1_757_400_000)
        let token = SimToken.issue(subject: "u1", lifetimeSeconds: 60, now: now)
        #expect(try SimToken.validate(token, now: now).get().sub == "u1")
        #expect(SimToken.validate(token, now: now.addingTimeInterval(61)) == .failure(.expired))
        #expect(SimToken.validate("x.y", now: now) == .failure(.malformed))
        #expect(!token.contains("=") && !token.contains("+") && !token.contains("/"))
        #expect(SimToken.issue(subject: "u1", lifetimeSeconds: 60, now: now) == token)
    }

    @Test(arguments: [
        ("127.0.0.1", true), ("127.1.2.3", true), ("127.255.255.255", true),
        ("0.0.0.0", false), ("128.0.0.1", false), ("127.0.0.256", false), ("127.0.0", false),
        ("localhost", false), ("::1", false), ("127.0.0.1 ", false), ("127.0.0.01a", false),
    ])
    func loopbackCheck(host: String, allowed: Bool) {
        #expect(Loopback.isLoopback(host) == allowed)
    }

    @Test func jsonSerialisesInOrderAndEscapes() {
        let value: JSON = ["b": 1, "a": ["x", nil, true, 1.5], "c": "q\"\n\u{1}"]
        #expect(value.serialized() == #"{"b":1,"a":["x",null,true,1.5],"c":"q\"\n\u0001"}"#)
    }
}
