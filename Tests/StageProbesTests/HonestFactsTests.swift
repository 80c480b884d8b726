import Foundation
import StageTestSupport
import StageModel
import Testing
@testable import StageProbes

/// Numbers that were never observed are never reported; what was observed is kept (docs/config.md).
/// Real curl against a raw loopback server that does exactly the wrong thing.
@Suite("Honest facts: status and ttfb only when observed, cut-short bodies named, error pages readable")
struct HonestFactsTests {
    static func stream(_ server: RawServer, firstByte: Double? = nil, maxGap: Double? = nil, timeout: Double = 3) async -> ProbeResult {
        let engine = CurlEngine()
        defer { engine.shutdown() }
        let runner = StreamProbeRunner(engine: engine, target: TargetConfig(baseURL: "http://127.0.0.1:\(server.port)"), token: nil)
        return await runner.run(streamProbe(path: "/api/chat/stream", auth: .none, firstByte: firstByte, maxGap: maxGap, timeout: timeout))
    }

    @Test("200 and three events, then the connection closes without the final chunk: status 200 kept, the cut named")
    func cutShortStream() async throws {
        let server = RawServer { conn in
            guard conn.readRequest() != nil else { return }
            conn.write(Array("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n".utf8))
            for i in 1...3 {
                let event = "event: tick\ndata: {\"n\":\(i)}\n\n"
                conn.write(Array((String(event.utf8.count, radix: 16) + "\r\n" + event + "\r\n").utf8))
                Thread.sleep(forTimeInterval: 0.02)
            }
            // No "0\r\n\r\n": the body is cut short.
        }
        defer { server.stop() }
        let r = try await withTimeout(10) { await Self.stream(server, maxGap: 2) }
        #expect(r.status == 200, "the status line came: it is reported")
        #expect(r.verdict == .fail && r.failureClass == .network, "\(r.verdict) \(String(describing: r.failureClass)) \(r.message)")
        #expect(r.message.contains("200 OK, then the connection closed after 3 events"), "\(r.message)")
        #expect(r.message.hasSuffix("before the final chunk"), "\(r.message)")
        #expect(r.timings?.ttfb != nil, "body bytes arrived, so there is a ttfb")
    }

    @Test("nothing at all (not even a status line) before the first-byte limit: status and ttfb are null")
    func silentStream() async throws {
        let server = RawServer { conn in
            guard conn.readRequest() != nil else { return }
            conn.waitForEOF()  // a buffering proxy: holds everything until the client gives up
        }
        defer { server.stop() }
        let r = try await withTimeout(10) { await Self.stream(server, firstByte: 0.3) }
        #expect(r.verdict == .hang, "\(r.message)")
        #expect(r.status == nil, "no status line was received")
        #expect(r.response == nil)
        #expect(r.timings != nil && r.timings?.ttfb == nil, "\(String(describing: r.timings))")
    }

    @Test("an nginx 502 page reads as what it says, not as '<html>'")
    func htmlErrorPage() async throws {
        let page = """
        <html>
        <head><title>502 Bad Gateway</title></head>
        <body>
        <center><h1>502 Bad Gateway</h1></center>
        <hr><center>nginx/1.22.1</center>
        </body>
        </html>

        """
        let server = RawServer { conn in
            guard conn.readRequest() != nil else { return }
            conn.write(Array("HTTP/1.1 502 Bad Gateway\r\nServer: nginx/1.22.1\r\nContent-Type: text/html\r\nContent-Length: \(page.utf8.count)\r\nConnection: close\r\n\r\n\(page)".utf8))
        }
        defer { server.stop() }
        let engine = CurlEngine()
        defer { engine.shutdown() }
        let runner = HTTPProbeRunner(engine: engine, target: TargetConfig(baseURL: "http://127.0.0.1:\(server.port)"), token: nil)
        let r = try await withTimeout(10) { await runner.run(httpProbe(path: "/api/health")) }
        #expect(r.verdict == .fail && r.failureClass == .server)
        #expect(r.message == "502 Bad Gateway — nginx/1.22.1", "\(r.message)")
    }

    @Test("HTML summaries: title, then the rest of the visible text; scripts, styles and comments dropped")
    func htmlSummary() {
        let page = Array("""
        <!DOCTYPE html><html><head><title>Service Unavailable</title><style>h1{color:red}</style></head>
        <body><!-- upstream: pool-3 --><h1>Service Unavailable</h1><p>The server is   temporarily
        unable to service your request.</p><script>track()</script><p>Ref &amp; id: 42</p></body></html>
        """.utf8)
        #expect(HTMLText.summary(page) == "Service Unavailable — The server is temporarily unable to service your request. Ref & id: 42")
        #expect(HTMLText.summary(Array(#"{"detail":"x"}"#.utf8)) == nil)
    }

    @Test("the server's own reason phrase is shown when it says something the standard text does not")
    func reasonPhrase() {
        #expect(HTTPStatusText.line(429, serverPhrase: "Slow Down") == "429 Slow Down")
        #expect(HTTPStatusText.line(200, serverPhrase: "ok") == "200 OK")
        #expect(HTTPStatusText.line(599, serverPhrase: "") == "599")
        #expect(HTTPStatusText.line(599, serverPhrase: "Network Connect Timeout") == "599 Network Connect Timeout")
    }
}
