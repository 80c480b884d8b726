import Foundation
import StageModel
import StageTestSupport
import Testing
@testable import StageProbes
#if canImport(Glibc)
import Glibc
#endif

/// `openssl s_server -www` with a throwaway self-signed certificate: a TLS peer that answers any GET with
/// 200, so a wss:// probe gets through TLS and is then refused (not a WebSocket server), which is enough to
/// check trust settings and the TLS timing.
final class OpenSSLServer: @unchecked Sendable {
    let port: Int
    let certPath: String
    private let process: ChildProcess
    private let dir: URL

    static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") }

    /// - Parameter expired: a certificate valid for one day in 2020 instead of `days` from now.
    init(days: Int = 1, expired: Bool = false) async throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("stagetop-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        certPath = dir.appendingPathComponent("cert.pem").path
        let keyPath = dir.appendingPathComponent("key.pem").path
        if expired {
            try Self.makeExpired(in: dir, cert: certPath, key: keyPath)
        } else {
            let req = runProcess("/usr/bin/openssl", [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", String(days), "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", keyPath, "-out", certPath,
            ], timeout: .seconds(30))
            guard req.status == 0 else { throw Failed(what: "openssl req: \(req.stderr)") }
        }

        process = try ChildProcess("/usr/bin/openssl", ["s_server", "-accept", "127.0.0.1:0", "-cert", certPath, "-key", keyPath, "-www"])
        // "ACCEPT 127.0.0.1:PORT" once it listens (s_server flushes it); polled with a bound.
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(10)
        var found: Int?
        while found == nil && clock.now < deadline {
            found = process.stdout.split(separator: "\n").first { $0.hasPrefix("ACCEPT ") }
                .flatMap { $0.split(separator: ":").last }.flatMap { Int($0) }
            if found == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        guard let found else {
            process.signal(SIGKILL)
            throw Failed(what: "openssl s_server did not report its port: \(process.stdout) \(process.stderr)")
        }
        port = found
    }

    struct Failed: Error { var what: String }

    /// `openssl req -days` takes no date in the past; `openssl ca -selfsign` takes any start and end date.
    private static func makeExpired(in dir: URL, cert: String, key: String) throws {
        let d = dir.path
        try "".write(toFile: d + "/index.txt", atomically: true, encoding: .utf8)
        try "01\n".write(toFile: d + "/serial", atomically: true, encoding: .utf8)
        try """
        [ ca ]
        default_ca = CA_default
        [ CA_default ]
        database = \(d)/index.txt
        serial = \(d)/serial
        new_certs_dir = \(d)
        default_md = sha256
        policy = policy_any
        copy_extensions = copy
        [ policy_any ]
        commonName = supplied

        """.write(toFile: d + "/ca.cnf", atomically: true, encoding: .utf8)
        let csr = runProcess("/usr/bin/openssl", [
            "req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", d + "/csr.pem",
        ], timeout: .seconds(30))
        guard csr.status == 0 else { throw Failed(what: "openssl req -new: \(csr.stderr)") }
        let ca = runProcess("/usr/bin/openssl", [
            "ca", "-batch", "-config", d + "/ca.cnf", "-selfsign", "-keyfile", key, "-in", d + "/csr.pem",
            "-startdate", "20200101000000Z", "-enddate", "20200102000000Z", "-out", cert,
        ], timeout: .seconds(30))
        guard ca.status == 0 else { throw Failed(what: "openssl ca: \(ca.stderr)") }
    }

    func stop() {
        stopKeepingFiles()
        try? FileManager.default.removeItem(at: dir)
    }

    /// Ends the server but keeps its certificate (a test may want it as an unrelated CA).
    func stopKeepingFiles() {
        // s_server ignores SIGTERM.
        process.signal(SIGKILL)
        _ = process.wait(timeout: .seconds(5))
    }
}

@Suite("wss:// through NIOSSL: ca_file, insecure, verification failures, TLS timing")
struct WebSocketTLSTests {
    @Test("the config's CA file is trusted and TLS is timed; insecure skips verification; other roots reject",
          .enabled(if: OpenSSLServer.available))
    func tlsTrust() async throws {
        let server = try await OpenSSLServer()
        defer { server.stop() }
        try await withTimeout(20) { try await Self.checkTrust(server) }
    }

    static func checkTrust(_ server: OpenSSLServer) async throws {
        let engine = WebSocketEngine()
        let url = "wss://127.0.0.1:\(server.port)/ws"
        func run(_ tls: TLSSettings) async -> ProbeResult {
            var target = wsTarget(url)
            target.tls = tls
            return await WebSocketProbeRunner(engine: engine, target: target, token: Secret("t0ken-value")).run(wsProbe())
        }
        let trusted = await run(TLSSettings(caFile: server.certPath))
        #expect(trusted.failureClass == .wsHandshake, "\(trusted.message)")
        #expect(trusted.status == 200)
        #expect(trusted.message.hasPrefix("handshake refused: 200 OK"))
        let t = try #require(trusted.timings)
        #expect(t.connect > 0 && t.tls > 0, "\(t)")
        #expect((t.ttfb ?? 0) >= t.connect + t.tls)

        let insecure = await run(TLSSettings(insecure: true))
        #expect(insecure.failureClass == .wsHandshake && insecure.status == 200, "\(insecure.message)")

        let untrusted = await run(TLSSettings())
        #expect(untrusted.verdict == .fail && untrusted.failureClass == .tls, "\(untrusted.message)")
        #expect(untrusted.message == "TLS handshake failed: certificate verify failed", "\(untrusted.message)")
        await engine.shutdown()
    }
}
