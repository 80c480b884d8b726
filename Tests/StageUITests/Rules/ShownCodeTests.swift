import Foundation
import Testing
import StageModel
@testable import StageUI

/// The dashboard's CODE column shows what `ShownCode` (Sources/StageModel/Rules/ShownCode.swift) says,
/// the rule `check`'s table and the reports use (Tests/StageReportsTests/Rules/ShownCodeTests.swift
/// pins them to the same codes for the same kinds of run).
@Suite struct ShownCodeTests {
    /// The CODE cell of `probe`'s row (right-aligned under the 4-column `CODE` header).
    func codeCell(_ b: Buffer, _ probe: String) throws -> String {
        let header = try #require(b.find("CODE"))
        let y = try #require((header.y + 1..<b.height).first { b.line($0).contains(" " + probe + " ") })
        return (header.x..<header.x + 4).map { b[$0, y].grapheme }.joined().trimmingCharacters(in: .whitespaces)
    }

    @Test func theCodeColumnShowsTheRulesCodeForEveryKindOfRun() throws {
        let s = DashboardFixtures.snapshot(streams: [], watchdogs: [])
        let (b, _) = Fixtures.render(s, width: 160, height: 60)
        for p in s.probes {
            let cell = try codeCell(b, p.name)
            #expect(cell == (ShownCode(p).map { String($0.number) } ?? ""), "\(p.name): \(cell)")
        }
        // A close wins over the upgrade's 101; a refused upgrade shows its status; a burst its commonest status.
        #expect(try codeCell(b, "websocket_connection") == "1011")
        #expect(try codeCell(b, "websocket_chat_flow") == "403")
        #expect(try codeCell(b, "rate_limiting") == "200")
        #expect(try codeCell(b, "backend_health") == "200")
    }

    @Test func theRuleOrdersCloseThenRefusedUpgradeThenStatusThenBurst() {
        let t = Fixtures.now
        var r = ProbeResult(probe: "p", kind: .websocket, verdict: .fail, status: 101, closeCode: 1008, startedAt: t, finishedAt: t)
        r.websocket = WebSocketInfo(handshakeStatus: 101)
        #expect(ShownCode(r) == .close(1008) && ShownCode.httpStatus(r) == 101)
        r.closeCode = nil
        #expect(ShownCode(r) == .status(101))
        r.websocket = WebSocketInfo(handshakeStatus: 403)
        #expect(ShownCode(r) == .status(403))
        let burst = ProbeResult(probe: "b", kind: .burst, verdict: .pass, statuses: [200: 38, 429: 12], startedAt: t, finishedAt: t)
        #expect(ShownCode(burst) == .statuses([200: 38, 429: 12]) && ShownCode(burst)?.number == 200 && ShownCode(burst)?.text == "38×200 12×429")
        #expect(ShownCode(ProbeResult(probe: "t", kind: .http, verdict: .error, startedAt: t, finishedAt: t)) == nil)
    }
}
