import Foundation
import StageModel
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
    private let process: Process
    private let dir: URL

    static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") }

    init() async throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("stagetop-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        certPath = dir.appendingPathComponent("cert.pem").path
        let keyPath = dir.appendingPathComponent("key.pem").path
        let req = Process()
        req.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        req.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", keyPath, "-out", certPath]
        req.standardOutput = FileHandle.nullDevice
        req.standardError = FileHandle.nullDevice
        try req.run()
        req.waitUntilExit()

        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["s_server", "-accept", "127.0.0.1:0", "-cert", certPath, "-key", keyPath, "-www"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // "ACCEPT 127.0.0.1:PORT" once it listens; read on a thread, awaited with a bound.
        let (lines, continuation) = AsyncStream.makeStream(of: String.self)
        let reader = out.fileHandleForReading
        Thread {
            var text = ""
            while true {
                let data = reader.availableData
                if data.isEmpty { break }
                text += String(decoding: data, as: UTF8.self)
                while let nl = text.firstIndex(of: "\n") {
                    continuation.yield(String(text[..<nl]))
                    text.removeSubrange(...nl)
                }
            }
            continuation.finish()
        }.start()
        port = try await withTimeout(10) {
            for await line in lines where line.hasPrefix("ACCEPT ") {
                if let p = line.split(separator: ":").last.flatMap({ Int($0) }) { return p }
            }
            throw TimedOut(seconds: 10)
        }
    }

    func stop() {
        // s_server ignores SIGTERM, and Foundation's waitUntilExit spins until the child is gone.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: dir)
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
        #expect(t.ttfb >= t.connect + t.tls)

        let insecure = await run(TLSSettings(insecure: true))
        #expect(insecure.failureClass == .wsHandshake && insecure.status == 200, "\(insecure.message)")

        let untrusted = await run(TLSSettings())
        #expect(untrusted.verdict == .fail && untrusted.failureClass == .tls, "\(untrusted.message)")
        #expect(untrusted.message == "TLS handshake failed: certificate verify failed", "\(untrusted.message)")
        await engine.shutdown()
    }
}
