import Foundation
import StageModel
import StageTestSupport
import Testing
@testable import StageProbes

/// WebSocket servers that break RFC 6455 after (or instead of) a good upgrade. Each case asserts verdict,
/// class, a message naming the fault, the timeout + 100 ms bound and bounded memory; what the server sent
/// back to us is checked where it matters (our close code).
@Suite("WebSocket probes against a hostile server: protocol faults classified, named and bounded", .serialized)
struct WebSocketProtocolFaultTests {
    static let timeout = 1.0
    static let welcome = expect([("type", .string("system_message"))], within: timeout)

    func probe(steps: [WSStep] = [welcome]) -> ProbeSpec { wsProbe(steps: steps, timeout: Self.timeout) }

    @Test("a frame header claiming 2^62 bytes → ws_close 1009, nothing buffered")
    func frameOf2to62() async throws {
        let got = Reported()
        let run = try await hostileWS(probe()) { c in
            c.upgrade()
            c.write(RawConnection.hugeFrameHeader(length: 1 << 62))
            got.set(c.readCloseCode())
        }
        #expect(run.result.verdict == .fail && run.result.failureClass == .wsClose && run.result.closeCode == 1009)
        #expect(run.result.message.hasPrefix("frame larger than 1 MiB; closed 1009"), "\(run.result.message)")
        #expect(try await got.value() == 1009)
        run.expectBounded(timeout: Self.timeout)
    }

    @Test("garbage right behind the 101 (not a frame) → protocol, we close 1002")
    func garbageAfterUpgrade() async throws {
        let got = Reported()
        let run = try await hostileWS(probe()) { c in
            // "G" reads as a frame header with a reserved bit and opcode; the rest is long enough for the
            // length it seems to announce, so the decoder gets a whole "frame" to reject.
            c.upgrade(then: Array(String(repeating: "GARBAGE that is not a WebSocket frame\r\n", count: 10).utf8))
            got.set(c.readCloseCode())
        }
        #expect(run.result.verdict == .fail && run.result.failureClass == .protocol, "\(run.result.message)")
        #expect(run.result.message.hasPrefix("protocol error: "), "\(run.result.message)")
        #expect(run.result.message.contains("closed 1002 (protocol error) while waiting for system_message"), "\(run.result.message)")
        #expect(try await got.value() == 1002)
        run.expectBounded(timeout: Self.timeout)
    }

    @Test("a message that is never finished (fragments, no FIN) → missing_event that says a message was still arriving")
    func endlessFragments() async throws {
        let run = try await hostileWS(probe()) { c in
            c.upgrade()
            let piece = [UInt8](repeating: 0x61, count: 512)
            c.write(RawConnection.frame(opcode: 1, payload: Array(#"{"type":"system_message","data":""#.utf8), fin: false))
            let end = Date().addingTimeInterval(3)
            while Date() < end {
                c.write(RawConnection.frame(opcode: 0, payload: piece, fin: false))
                Thread.sleep(forTimeInterval: 0.005)
            }
        }
        #expect(run.result.verdict == .fail && run.result.failureClass == .missingEvent, "\(run.result.message)")
        #expect(run.result.message.hasPrefix("system_message not received within 1.0 s; got nothing; a message was still arriving: "),
                "\(run.result.message)")
        #expect(run.result.message.hasSuffix("fragments, no final fragment"), "\(run.result.message)")
        run.expectBounded(timeout: Self.timeout)
    }

    @Test("a ping flood from a server that never reads our pongs → the welcome behind it still passes, bounded")
    func pingFlood() async throws {
        let run = try await hostileWS(probe()) { c in
            c.upgrade()
            let ping = RawConnection.frame(opcode: 9, payload: Array("flood!".utf8))
            var burst: [UInt8] = []
            for _ in 0..<10_000 { burst += ping }
            c.write(burst)
            c.sendText(#"{"type":"system_message","data":{"event":"connection_established"}}"#)
            c.silence(upTo: 3)
        }
        #expect(run.result.verdict == .pass, "\(run.result.message)")
        #expect(run.result.message.hasPrefix("1 step ok"), "\(run.result.message)")
        run.expectBounded(timeout: Self.timeout)
    }

    @Test("close codes not allowed on the wire → protocol, we answer 1002", arguments: [999, 1005, 1006, 1015, 2000, 5000])
    func illegalCloseCode(_ code: Int) async throws {
        let got = Reported()
        let run = try await hostileWS(probe()) { c in
            c.upgrade()
            c.sendClose(code: UInt16(code), reason: "bye")
            got.set(c.readCloseCode())
        }
        #expect(run.result.verdict == .fail && run.result.failureClass == .protocol, "\(run.result.message)")
        #expect(run.result.message == "protocol error: close code \(code) is not allowed on the wire; closed 1002 (protocol error) while waiting for system_message",
                "\(run.result.message)")
        #expect(run.result.closeCode == 1002)
        #expect(try await got.value() == 1002)
        run.expectBounded(timeout: Self.timeout)
    }

    @Test("a close frame with a 1-byte payload → protocol")
    func oneByteClose() async throws {
        let run = try await hostileWS(probe()) { c in
            c.upgrade()
            c.write(RawConnection.frame(opcode: 8, payload: [0x03]))
            c.waitForEOF()
        }
        #expect(run.result.failureClass == .protocol, "\(run.result.message)")
        #expect(run.result.message.hasPrefix("protocol error: close frame with a 1-byte payload"), "\(run.result.message)")
        run.expectBounded(timeout: Self.timeout)
    }

    @Test("registered and private close codes are ordinary closes, not protocol faults", arguments: [1001, 1012, 1013, 4000])
    func legalCloseCode(_ code: Int) async throws {
        let run = try await hostileWS(probe()) { c in
            c.upgrade()
            c.sendClose(code: UInt16(code), reason: "")
            c.waitForEOF()
        }
        #expect(run.result.failureClass == .wsClose && run.result.closeCode == code, "\(run.result.message)")
        run.expectBounded(timeout: Self.timeout)
    }

    @Test("upgraded, then silent → missing_event, got nothing")
    func upgradedThenSilent() async throws {
        let run = try await hostileWS(probe()) { c in
            c.upgrade()
            c.silence(upTo: 3)
        }
        #expect(run.result.verdict == .fail && run.result.failureClass == .missingEvent)
        #expect(run.result.message == "system_message not received within 1.0 s; got nothing", "\(run.result.message)")
        run.expectBounded(timeout: Self.timeout)
    }

    @Test("an upgrade answered with something that is not HTTP → protocol")
    func upgradeNotHTTP() async throws {
        let run = try await hostileWS(probe()) { c in
            _ = c.readRequest()
            c.send("SSH-2.0-OpenSSH_9.2\r\n\r\n")
            c.silence(upTo: 3)
        }
        #expect(run.result.verdict == .fail && run.result.failureClass == .protocol, "\(run.result.message)")
        #expect(run.result.message.hasPrefix("upgrade response is not HTTP"), "\(run.result.message)")
        run.expectBounded(timeout: Self.timeout)
    }

    @Test("wss:// to a server that stalls the TLS handshake → timeout naming the TLS handshake")
    func tlsStall() async throws {
        let run = try await hostileWS(probe(), url: { "wss://127.0.0.1:\($0.port)/ws" }, tls: TLSSettings(insecure: true)) { c in
            c.silence(upTo: 3)
        }
        #expect(run.result.verdict == .fail && run.result.failureClass == .timeout)
        #expect(run.result.message == "timeout: no TLS handshake within 1.0 s", "\(run.result.message)")
        run.expectBounded(timeout: Self.timeout)
    }

    @Test("a 101 with a wrong Sec-WebSocket-Accept → ws_handshake, bounded")
    func badAccept() async throws {
        let run = try await hostileWS(probe()) { c in
            c.upgrade(accept: "d3Jvbmc=")
            c.silence(upTo: 3)
        }
        #expect(run.result.verdict == .fail && run.result.failureClass == .wsHandshake)
        #expect(run.result.message == "handshake invalid: 101 without a valid Sec-WebSocket-Accept", "\(run.result.message)")
        run.expectBounded(timeout: Self.timeout)
    }

    @Test("a text frame that is not UTF-8 → protocol, we close 1007")
    func invalidUTF8Text() async throws {
        let got = Reported()
        let run = try await hostileWS(probe()) { c in
            c.upgrade()
            c.write(RawConnection.frame(opcode: 1, payload: [0x7b, 0xc3, 0x28, 0xff, 0x7d]))
            got.set(c.readCloseCode())
        }
        #expect(run.result.verdict == .fail && run.result.failureClass == .protocol)
        #expect(run.result.message == "text message is not valid UTF-8; closed 1007 (invalid payload) while waiting for system_message",
                "\(run.result.message)")
        #expect(try await got.value() == 1007)
        run.expectBounded(timeout: Self.timeout)
    }

    @Test("a close frame without a code → ws_close 1005 (allowed: no status), bounded")
    func missingCloseCode() async throws {
        let run = try await hostileWS(probe()) { c in
            c.upgrade()
            c.write(RawConnection.frame(opcode: 8, payload: []))
            c.waitForEOF()
        }
        #expect(run.result.verdict == .fail && run.result.failureClass == .wsClose && run.result.closeCode == 1005)
        #expect(run.result.message == "closed 1005 (no status) while waiting for system_message", "\(run.result.message)")
        run.expectBounded(timeout: Self.timeout)
    }
}
