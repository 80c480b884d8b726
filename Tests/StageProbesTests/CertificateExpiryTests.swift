import Foundation
import StageModel
import StageTestSupport
import Testing
@testable import StageProbes

/// Issue 12's certificate checks, on certificates `openssl` makes in the test: one that expires in a day
/// meets `> 1h` and not `> 72h`; an expired one is `tls`, with the reason in words, over curl and over NIOSSL.
@Suite("certificate expiry", .enabled(if: OpenSSLServer.available))
struct CertificateExpiryTests {
    static func target(_ server: OpenSSLServer, scheme: String = "https") -> TargetConfig {
        var t = TargetConfig(baseURL: "https://127.0.0.1:\(server.port)", wsURL: "wss://127.0.0.1:\(server.port)/ws")
        t.tls = TLSSettings(caFile: server.certPath)
        return t
    }

    @Test("a certificate that expires in a day: [CERTIFICATE_EXPIRATION] > 1h holds, > 72h fails as condition")
    func expiresInADay() async throws {
        let server = try await OpenSSLServer(days: 1)
        defer { server.stop() }
        let engine = CurlEngine()
        defer { engine.shutdown() }
        let target = Self.target(server)
        let pass = try await withTimeout(20) {
            await HTTPProbeRunner(engine: engine, target: target, token: nil)
                .run(httpProbe("one_day", path: "/", conditions: ["[CERTIFICATE_EXPIRATION] > 1h"], timeout: 5))
        }
        #expect(pass.verdict == .pass, "\(pass.message) \(pass.conditions)")
        let fail = try await withTimeout(20) {
            await HTTPProbeRunner(engine: engine, target: target, token: nil)
                .run(httpProbe("one_day", path: "/", conditions: ["[CERTIFICATE_EXPIRATION] > 72h"], timeout: 5))
        }
        #expect(fail.verdict == .fail && fail.failureClass == .condition, "\(fail.message)")
        #expect(fail.message.contains("[CERTIFICATE_EXPIRATION] > 72h"), "\(fail.message)")
        let hours = try #require(fail.conditions.first.flatMap { Double($0.actual.dropLast(2)) }) / 3_600_000
        #expect(hours > 23.5 && hours <= 24, "\(hours) h left")
    }

    @Test("an expired certificate is tls, with curl's reason in words, even when its issuer is trusted")
    func expiredOverCurl() async throws {
        let server = try await OpenSSLServer(expired: true)
        defer { server.stop() }
        let engine = CurlEngine()
        defer { engine.shutdown() }
        let target = Self.target(server)
        let r = try await withTimeout(20) {
            await HTTPProbeRunner(engine: engine, target: target, token: nil).run(httpProbe("expired", path: "/", timeout: 5))
        }
        #expect(r.verdict == .fail && r.failureClass == .tls, "\(r.verdict) \(String(describing: r.failureClass)) \(r.message)")
        #expect(r.message.lowercased().contains("expired"), "\(r.message)")
    }

    /// NIOSSL reports BoringSSL's reason code only ("certificate verify failed"), not which check failed; its
    /// per-certificate callback that would say "expired" is deprecated API (docs/config.md, "Failure classes").
    @Test("an expired certificate on wss:// is tls through NIOSSL too, in NIOSSL's words")
    func expiredOverNIO() async throws {
        let server = try await OpenSSLServer(expired: true)
        defer { server.stop() }
        let ws = WebSocketEngine()
        let target = Self.target(server)
        let r = try await withTimeout(20) {
            await WebSocketProbeRunner(engine: ws, target: target, token: nil)
                .run(ProbeSpec(name: "expired_ws", body: .websocket(WebSocketProbeSpec(path: "/ws", auth: .none)), timeout: .s(5)))
        }
        await ws.shutdown()
        #expect(r.verdict == .fail && r.failureClass == .tls, "\(r.verdict) \(String(describing: r.failureClass)) \(r.message)")
        #expect(r.message == "TLS handshake failed: certificate verify failed", "\(r.message)")
    }
}
