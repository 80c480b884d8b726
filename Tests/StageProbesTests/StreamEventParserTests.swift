import Testing
@testable import StageProbes

@Suite("StreamEventParser: SSE event names from arbitrary chunks")
struct StreamEventParserTests {
    func names(_ chunks: [String]) -> [String] {
        var p = StreamEventParser()
        return chunks.flatMap { p.feed(Array($0.utf8)) }
    }

    @Test("event: names, \"message\" when absent, comments and id-only blocks ignored")
    func basics() {
        let text = "id: 1\nevent: agent_started\ndata: {}\n\n: keep-alive\n\ndata: plain\n\nid: 9\n\nevent: done\ndata: x\n\n"
        #expect(names([text]) == ["agent_started", "message", "done"])
    }

    @Test("split anywhere, including inside a CRLF and inside a field name")
    func splitChunks() {
        let text = "event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\revent: c\ndata: 3\n\n"
        let whole = names([text])
        #expect(whole == ["a", "b", "c"])
        let bytes = Array(text)
        for cut in 1..<bytes.count {
            #expect(names([String(bytes[..<cut]), String(bytes[cut...])]) == whole, "cut at \(cut)")
        }
        #expect(names(bytes.map { String($0) }) == whole, "one byte per chunk")
    }

    @Test("an event without a blank line yet is not counted until it ends")
    func incomplete() {
        var p = StreamEventParser()
        #expect(p.feed(Array("event: agent_started\ndata: {}\n".utf8)) == [])
        #expect(p.feed(Array("\n".utf8)) == ["agent_started"])
    }

    @Test("a very long data line is counted without being kept")
    func longLine() {
        let big = String(repeating: "x", count: 100_000)
        #expect(names(["event: big\ndata: \(big)\n\n"]) == ["big"])
    }
}
