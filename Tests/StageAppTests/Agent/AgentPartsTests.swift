import Foundation
import Logging
@testable import StageAgent
import Testing

@Suite("agent parts: event history, listen addresses, tokens, log lines")
struct AgentPartsTests {
    @Test("the event feed keeps the newest events; a resume from an id it no longer holds reports the gap")
    func feedGap() {
        let feed = EventFeed(capacity: 3)
        for i in 1...5 { feed.publish(type: "note", data: "\(i)") }
        let fromTwo = feed.subscribe(after: 1)
        #expect(fromTwo.backlog.map(\.id) == [3, 4, 5])
        #expect(fromTwo.missed == 1)
        let fromFour = feed.subscribe(after: 4)
        #expect(fromFour.backlog.map(\.data) == ["5"])
        #expect(fromFour.missed == 0)
        let fresh = feed.subscribe(after: nil)
        #expect(fresh.backlog.isEmpty)
        #expect(feed.subscriberCount == 3)
        feed.close()
        #expect(feed.subscriberCount == 0)
    }

    @Test("a subscriber gets events published after it subscribed, in order, and its stream ends when the feed closes")
    func feedLive() async {
        let feed = EventFeed(capacity: 10)
        let sub = feed.subscribe(after: nil)
        feed.publish(type: "result", data: "a")
        feed.publish(type: "result", data: "b")
        feed.close()
        var got: [String] = []
        for await item in sub.stream { if let item { got.append(item.data) } }
        #expect(got == ["a", "b"])
    }

    @Test("SSE frames: id, event, one data line per payload line")
    func frames() {
        let text = ServerSentEvents.frame(.init(id: 7, type: "result", data: "{\"a\":1}\nsecond"))
        #expect(text == "id: 7\nevent: result\ndata: {\"a\":1}\ndata: second\n\n")
    }

    @Test("listen addresses: IPv4, [IPv6], loopback or not; nonsense refused")
    func listen() {
        #expect(ListenAddress("127.0.0.1:9464") == ListenAddress(host: "127.0.0.1", port: 9464))
        #expect(ListenAddress("[::1]:9464") == ListenAddress(host: "::1", port: 9464))
        #expect(ListenAddress("[::1]:9464")?.description == "[::1]:9464")
        #expect(ListenAddress("0.0.0.0:80")?.isLoopback == false)
        #expect(ListenAddress("localhost:80")?.isLoopback == true)
        #expect(ListenAddress("127.0.0.2:80")?.isLoopback == true)
        #expect(ListenAddress("127.example.com:80")?.isLoopback == false)
        #expect(ListenAddress("9464") == nil)
        #expect(ListenAddress("host:99999") == nil)
        #expect(ListenAddress("::1:80") == nil)
    }

    @Test("bearer tokens: exact match only, scheme case-insensitive; no token configured admits all")
    func access() {
        let a = APIAccess(token: "s3cret")
        #expect(a.admits(authorization: "Bearer s3cret"))
        #expect(a.admits(authorization: "bearer s3cret"))
        #expect(!a.admits(authorization: "Bearer s3cre"))
        #expect(!a.admits(authorization: "Bearer s3cretX"))
        #expect(!a.admits(authorization: "Basic s3cret"))
        #expect(!a.admits(authorization: nil))
        #expect(APIAccess(token: nil).admits(authorization: nil))
        #expect(APIAccess(token: "").requiresToken == false)
    }

    @Test("log lines: logfmt quotes what needs it; JSON escapes; fields sorted")
    func logLines() {
        let at = Date(timeIntervalSince1970: 1_800_000_000)
        let fmt = AgentLogHandler.line(format: .logfmt, at: at, level: .warning, message: "verdict changed",
                                       fields: ["probe": "health", "message": "500 \"Internal\" error"])
        #expect(fmt == #"ts=2027-01-15T08:00:00.000Z level=warning msg="verdict changed" message="500 \"Internal\" error" probe=health"#)
        let json = AgentLogHandler.line(format: .json, at: at, level: .info, message: "a\nb", fields: ["k": "v"])
        #expect(json == #"{"ts":"2027-01-15T08:00:00.000Z","level":"info","msg":"a\nb","k":"v"}"#)
    }
}
