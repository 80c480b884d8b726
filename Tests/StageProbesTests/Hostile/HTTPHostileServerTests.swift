import Foundation
import StageModel
import StageTestSupport
import Testing
@testable import StageProbes

/// HTTP and stream probes against a server that breaks the rules on purpose. Each case asserts the
/// verdict, the class, a message that names what the server did, that the probe ended within its timeout
/// plus 100 ms, and that memory stayed bounded. None of them may come out as `error`/`config`: the
/// server's fault is never the user's config.
@Suite("HTTP probes against a hostile server: every fault classified, named and bounded", .serialized)
struct HTTPHostileServerTests {
    static let timeout = 1.0

    func probe(_ path: String = "/h", follow: Bool = false, conditions: [String] = [], headers: [(String, String)] = []) -> ProbeSpec {
        var spec = httpProbe("hostile", path: path, follow: follow, conditions: conditions, timeout: Self.timeout)
        if case .http(var h) = spec.body { h.headers = headers; spec.body = .http(h) }
        return spec
    }

    @Test("slowloris headers: one byte every 20 ms never ends the header block → timeout, headers still arriving")
    func slowloris() async throws {
        let run = try await hostile(probe()) { c in
            _ = c.readRequest()
            c.send("HTTP/1.1 200 OK\r\n")
            c.trickle(Array("X-Slow: aaaaaaaaaaaaaaaaaaaaaaaa\r\n".utf8), every: 0.02, for: 3)
        }
        #expect(run.result.verdict == .fail && run.result.failureClass == .timeout)
        #expect(run.result.message == "timeout after 1.0 s; response headers still arriving", "\(run.result.message)")
        run.expectBounded(timeout: Self.timeout)
    }

    @Test("an endless body → timeout that says the body was still arriving; only the cap is kept")
    func endlessBody() async throws {
        let run = try await hostile(probe()) { c in
            _ = c.readRequest()
            c.send(head("200 OK", ["Content-Type: text/plain"]))
            c.flood([UInt8](repeating: 0x61, count: 16 * 1024), for: 3)
        }
        #expect(run.result.verdict == .fail && run.result.failureClass == .timeout)
        #expect(run.result.message.hasPrefix("timeout after 1.0 s; body still arriving after "), "\(run.result.message)")
        run.expectBounded(timeout: Self.timeout)
    }

    @Test("a Content-Length that lies (1000 promised, 3 sent, then FIN) → network, the shortfall named")
    func lyingLength() async throws {
        let run = try await hostile(probe()) { c in
            _ = c.readRequest()
            c.send(head("200 OK", ["Content-Length: 1000"]) + "abc")
        }
        #expect(run.result.verdict == .fail && run.result.failureClass == .network)
        #expect(run.result.message == "connection closed mid-body: transfer closed with 997 bytes remaining to read", "\(run.result.message)")
        run.expectBounded(timeout: Self.timeout)
    }

    @Test("a chunk size that is not hexadecimal → protocol, bad chunked encoding")
    func badChunk() async throws {
        let run = try await hostile(probe()) { c in
            _ = c.readRequest()
            c.send(head("200 OK", ["Transfer-Encoding: chunked"]) + "zz\r\nabc\r\n0\r\n\r\n")
            c.silence(upTo: 2)
        }
        #expect(run.result.verdict == .fail && run.result.failureClass == .protocol)
        #expect(run.result.message == "bad chunked encoding: chunk size is not hexadecimal", "\(run.result.message)")
        run.expectBounded(timeout: Self.timeout)
    }

    @Test("a status line that is not HTTP → protocol, never error/config", arguments: [
        "HTTP/1.1 abc Whatever\r\nContent-Length: 0\r\n\r\n",
        "SSH-2.0-OpenSSH_9.2\r\n",
        "HTTP/9.9 200 OK\r\nContent-Length: 0\r\n\r\n",
    ])
    func badStatusLine(_ reply: String) async throws {
        let run = try await hostile(probe()) { c in
            _ = c.readRequest()
            c.send(reply)
            c.silence(upTo: 2)
        }
        #expect(run.result.verdict == .fail && run.result.failureClass == .protocol, "\(run.result.verdict) \(String(describing: run.result.failureClass))")
        #expect(run.result.message.hasPrefix("status line is not HTTP"), "\(run.result.message)")
        run.expectBounded(timeout: Self.timeout)
    }

    @Test("an empty reply (connection closed without a byte) → network, empty reply")
    func emptyReply() async throws {
        let run = try await hostile(probe()) { c in _ = c.readRequest() }
        #expect(run.result.verdict == .fail && run.result.failureClass == .network)
        #expect(run.result.message == "empty reply from server")
        run.expectBounded(timeout: Self.timeout)
    }

    @Test("a reset (RST) in the middle of the body → network, connection reset by peer")
    func resetMidBody() async throws {
        let run = try await hostile(probe()) { c in
            _ = c.readRequest()
            c.send(head("200 OK", ["Content-Length: 100000"]) + String(repeating: "x", count: 5000))
            Thread.sleep(forTimeInterval: 0.05)
            c.reset()
        }
        #expect(run.result.verdict == .fail && run.result.failureClass == .network)
        #expect(run.result.message.contains("reset by peer") || run.result.message.hasPrefix("connection closed mid-body"), "\(run.result.message)")
        run.expectBounded(timeout: Self.timeout)
    }

    static let gzipBomb: [UInt8] = {
        // 16 MiB of zeros, gzip-compressed by the system's gzip (about 16 KB on the wire: 1000:1).
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "head -c 16777216 /dev/zero | gzip -9"]
        let out = Pipe()
        p.standardOutput = out
        try? p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Array(data)
    }()

    func bombServer(_ c: RawConnection) {
        let bomb = Self.gzipBomb
        _ = c.readRequest()
        c.write(Array(head("200 OK", ["Content-Encoding: gzip", "Content-Type: application/json", "Content-Length: \(bomb.count)"]).utf8) + bomb)
        c.silence(upTo: 2)
    }

    @Test("a gzip bomb asked for (Accept-Encoding: gzip): decoded as it streams, only the body cap kept")
    func gzipBombDecoded() async throws {
        #expect(Self.gzipBomb.count > 1000 && Self.gzipBomb.count < 64 * 1024)
        let run = try await hostile(probe(headers: [("Accept-Encoding", "gzip")])) { c in self.bombServer(c) }
        // The server answered 200 with a valid (if absurd) gzip body: the status passes; the size is counted.
        #expect(run.result.verdict == .pass, "\(run.result.message)")
        #expect(run.result.response?.truncated == true)
        #expect(run.result.response?.bodyBytes == 16 << 20)
        #expect((run.result.response?.body.count ?? .max) <= 64 * 1024)
        run.expectBounded(timeout: Self.timeout)
    }

    @Test("a gzip bomb not asked for: kept as the bytes that came (not decoded), capped")
    func gzipBombUnasked() async throws {
        let run = try await hostile(probe(conditions: ["[BODY].status == ok"])) { c in self.bombServer(c) }
        // Not JSON as received: the body condition cannot find its field, which is `schema`.
        #expect(run.result.verdict == .fail && run.result.failureClass == .schema, "\(run.result.message)")
        #expect(run.result.message == "200 OK; failed [BODY].status == ok (actual <missing>)", "\(run.result.message)")
        #expect(run.result.response?.bodyBytes == Self.gzipBomb.count)
        run.expectBounded(timeout: Self.timeout)
    }

    @Test("an endless storm of 100 Continue → protocol: headers over curl's budget, bounded")
    func continueStorm() async throws {
        let run = try await hostile(probe()) { c in
            _ = c.readRequest()
            c.flood(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8), for: 3)
        }
        #expect(run.result.verdict == .fail)
        // curl counts every interim response's bytes against its 300 KB header budget.
        #expect(run.result.failureClass == .protocol, "\(String(describing: run.result.failureClass))")
        #expect(run.result.message == "response headers over 300 KB (curl's limit)", "\(run.result.message)")
        run.expectBounded(timeout: Self.timeout)
    }

    @Test("a 1 MB response header → protocol, header over curl's 100 KB limit (not \"out of memory\" / config)")
    func megabyteHeader() async throws {
        let run = try await hostile(probe()) { c in
            _ = c.readRequest()
            c.send("HTTP/1.1 200 OK\r\nX-Big: " + String(repeating: "a", count: 1 << 20) + "\r\n\r\n")
            c.silence(upTo: 2)
        }
        #expect(run.result.verdict == .fail && run.result.failureClass == .protocol)
        #expect(run.result.message == "response header over 100 KB (curl's limit)", "\(run.result.message)")
        run.expectBounded(timeout: Self.timeout)
    }

    @Test("300 KB of headers in small lines → protocol, headers over curl's 300 KB limit")
    func manyHeaders() async throws {
        let run = try await hostile(probe()) { c in
            _ = c.readRequest()
            c.send("HTTP/1.1 200 OK\r\n" + String(repeating: "X-A: " + String(repeating: "b", count: 60) + "\r\n", count: 6000) + "\r\n")
            c.silence(upTo: 2)
        }
        #expect(run.result.verdict == .fail && run.result.failureClass == .protocol)
        #expect(run.result.message == "response headers over 300 KB (curl's limit)", "\(run.result.message)")
        run.expectBounded(timeout: Self.timeout)
    }

    @Test("silence after the request → timeout, nothing came")
    func silence() async throws {
        let run = try await hostile(probe()) { c in
            _ = c.readRequest()
            c.silence(upTo: 3)
        }
        #expect(run.result.verdict == .fail && run.result.failureClass == .timeout)
        #expect(run.result.message == "timeout after 1.0 s")
        run.expectBounded(timeout: Self.timeout)
    }

    @Test("headers, then no body → timeout that says so")
    func headersThenSilence() async throws {
        let run = try await hostile(probe()) { c in
            _ = c.readRequest()
            c.send(head("200 OK", ["Content-Length: 10"]))
            c.silence(upTo: 3)
        }
        #expect(run.result.failureClass == .timeout)
        #expect(run.result.message == "timeout after 1.0 s; headers came (200), then no body", "\(run.result.message)")
        run.expectBounded(timeout: Self.timeout)
    }

    @Test("a redirect loop with follow_redirects → redirect, after curl's 10 hops")
    func redirectLoop() async throws {
        let run = try await hostile(probe(follow: true)) { c in
            while c.readRequest() != nil {
                c.send(head("302 Found", ["Location: /loop", "Content-Length: 0"]))
            }
        }
        #expect(run.result.verdict == .fail && run.result.failureClass == .redirect)
        #expect(run.result.message == "redirect loop: too many redirects", "\(run.result.message)")
        run.expectBounded(timeout: Self.timeout)
    }

    @Test("a redirect to ftp:// with follow_redirects → redirect, not config")
    func redirectToFTP() async throws {
        let run = try await hostile(probe(follow: true)) { c in
            _ = c.readRequest()
            c.send(head("302 Found", ["Location: ftp://127.0.0.1/x", "Content-Length: 0"]))
            c.silence(upTo: 2)
        }
        #expect(run.result.verdict == .fail && run.result.failureClass == .redirect, "\(run.result.message)")
        #expect(run.result.message.hasPrefix("redirected to a scheme probes do not follow"), "\(run.result.message)")
        run.expectBounded(timeout: Self.timeout)
    }

    @Test("a JSON body that is not valid UTF-8 → schema: the field is not there to find")
    func invalidUTF8JSON() async throws {
        let body: [UInt8] = Array(#"{"status":"ok","name":""#.utf8) + [0xC3, 0x28, 0xFF] + Array(#""}"#.utf8)
        let run = try await hostile(probe(conditions: ["[BODY].status == ok"])) { c in
            _ = c.readRequest()
            c.write(Array(head("200 OK", ["Content-Type: application/json", "Content-Length: \(body.count)"]).utf8) + body)
            c.silence(upTo: 2)
        }
        #expect(run.result.verdict == .fail && run.result.failureClass == .schema, "\(run.result.message)")
        #expect(run.result.message == "200 OK; failed [BODY].status == ok (actual <missing>)", "\(run.result.message)")
        run.expectBounded(timeout: Self.timeout)
    }

    @Test("JSON nested 200,000 deep → schema, no stack overflow")
    func deepJSON() async throws {
        let depth = 200_000
        let body = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let run = try await hostile(probe(conditions: ["[BODY].status == ok"])) { c in
            _ = c.readRequest()
            c.send(head("200 OK", ["Content-Type: application/json", "Content-Length: \(body.utf8.count)"]) + body)
            c.silence(upTo: 2)
        }
        #expect(run.result.verdict == .fail && run.result.failureClass == .schema, "\(run.result.message)")
        #expect(run.result.message == "200 OK; failed [BODY].status == ok (actual <missing>)", "\(run.result.message)")
        run.expectBounded(timeout: Self.timeout)
    }

    @Test("https:// to a server that accepts and never says a word of TLS → timeout, bounded")
    func tlsHandshakeStall() async throws {
        let run = try await hostile(probe(), target: { TargetConfig(baseURL: "https://127.0.0.1:\($0.port)") }) { c in
            c.silence(upTo: 3)
        }
        #expect(run.result.verdict == .fail && run.result.failureClass == .timeout)
        #expect(run.result.message == "timeout after 1.0 s", "\(run.result.message)")
        run.expectBounded(timeout: Self.timeout)
    }

    @Test("a stream whose chunking breaks → protocol, not a cut connection")
    func streamBadChunk() async throws {
        let spec = streamProbe(path: "/s", auth: .none, timeout: Self.timeout)
        let run = try await hostile(spec, runner: { StreamProbeRunner(engine: $0, target: $1, token: nil) }) { c in
            _ = c.readRequest()
            c.send(head("200 OK", ["Content-Type: text/event-stream", "Transfer-Encoding: chunked"]) + "5\r\ndata:\r\nnope\r\n")
            c.silence(upTo: 2)
        }
        #expect(run.result.verdict == .fail && run.result.failureClass == .protocol, "\(run.result.message)")
        #expect(run.result.message.hasPrefix("bad chunked encoding"), "\(run.result.message)")
        run.expectBounded(timeout: Self.timeout)
    }
}
